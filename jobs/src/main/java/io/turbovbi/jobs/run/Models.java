package io.turbovbi.jobs.run;

import io.turbovbi.bayes.LogVarCap;
import io.turbovbi.bayes.VariationalLayers;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.nn.Update;
import java.util.List;
import java.util.Locale;

/** Networks, optimisers and constraints as a configuration describes them. */
final class Models {
  private static final long DRIVER_BYTES_PER_WEIGHT = 128;

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

  /**
   * Refuses a network whose training state cannot fit in the driver's heap, before anything of that size is
   * allocated: the driver keeps about {@value #DRIVER_BYTES_PER_WEIGHT} bytes per weight (variational parameters,
   * gradients and optimiser moments as float, the Turbo-VBI loop's per-weight state as double).
   */
  static void requireDriverMemoryFor(Network network) {
    long needed = network.weightCount() * DRIVER_BYTES_PER_WEIGHT;
    long heap = Runtime.getRuntime().maxMemory();
    if (needed > heap) {
      throw new ConfigException(String.format(Locale.ROOT, "%s: %s has %,d weights; compressing it needs about "
          + "%,d MB on the driver, more than its heap of %,d MB: give the driver more memory (spark.driver.memory, "
          + "or -Xmx) or choose a smaller network", ConfigKeys.NETWORK.name(), network.describe(),
          network.weightCount(), needed >> 20, heap >> 20));
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
