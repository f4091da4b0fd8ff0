package io.turbovbi.jobs;

import io.turbovbi.bayes.LogVarCap;
import io.turbovbi.bayes.VariationalLayers;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.nn.Update;
import java.util.List;

/** Networks, optimisers and constraints as a configuration describes them. */
final class Models {
  private Models() {}

  static Network network(Config config, int channels, int height, int width, int classes, boolean variational) {
    LayerFactory factory = variational ? new VariationalLayers(config.real(ConfigKeys.LOGVAR_INIT))
        : LayerFactory.DETERMINISTIC;
    try {
      return NetworkSpec.parse(config.required(ConfigKeys.NETWORK)).build(channels, height, width, classes, factory);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.NETWORK.name() + ": " + e.getMessage());
    }
  }

  static OptimizerSettings optimizer(Config config) {
    return new OptimizerSettings(config.required(ConfigKeys.TRAIN_OPTIMIZER), config.real(ConfigKeys.TRAIN_LR),
        config.real(ConfigKeys.LOGVAR_LR), config.real(ConfigKeys.TRAIN_MOMENTUM));
  }

  static List<Update.Constraint> constraints(Config config, Network network, boolean variational) {
    return variational ? List.of(new LogVarCap(network, config.real(ConfigKeys.LOGVAR_CAP))) : List.of();
  }

  static int threads(Config config) {
    int threads = config.integer(ConfigKeys.THREADS);
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
