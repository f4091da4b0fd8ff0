package io.turbovbi.spark.train;

import io.turbovbi.bayes.VariationalLayers;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import java.io.Serializable;

/**
 * What an executor needs to build the same network as the driver: the description, the input shape, the classes,
 * and whether (and with which initial log-variance) it is variational. Small enough to travel in every task.
 */
public record NetworkRecipe(String description, int channels, int height, int width, int classes,
                            boolean variational, double initialLogVar) implements Serializable {
  public Network build() {
    LayerFactory factory = variational ? new VariationalLayers(initialLogVar) : LayerFactory.DETERMINISTIC;
    return NetworkSpec.parse(description).build(channels, height, width, classes, factory);
  }
}
