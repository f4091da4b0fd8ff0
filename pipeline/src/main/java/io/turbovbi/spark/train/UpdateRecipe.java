package io.turbovbi.spark.train;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.nn.RangeRunner;
import io.turbovbi.nn.Update;
import java.io.Serializable;

/**
 * How to turn a gradient into an optimiser step (the regulariser and constraints of {@link Update}), as a recipe
 * that the driver uses in gradient mode and every partition rebuilds in averaging mode.
 */
public interface UpdateRecipe extends Serializable {
  Update build(Network network, Optimizer optimizer, RangeRunner runner);
}
