package io.turbovbi.jobs.run;

import io.turbovbi.compress.RemovalAwareCost;
import io.turbovbi.data.ImageShape;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.data.ValidationSplit;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.jobs.config.ParamKeys;
import io.turbovbi.nn.Blas;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.Network;
import io.turbovbi.output.JsonLine;
import io.turbovbi.spark.ml.CompressionSettings;
import io.turbovbi.turbo.LocalWStep;
import io.turbovbi.turbo.Masks;
import io.turbovbi.turbo.SupportGeometries;
import io.turbovbi.turbo.TurboSettings;
import io.turbovbi.turbo.TurboVbi;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Turbo-VBI on a single JVM: the variational network trained by a thread-parallel w-step, Module A and Module B
 * around it; prints the history and the accuracy of the masked mean network.
 */
public final class TurboJob {
  private final Config config;
  private final DataSets data;
  private final PrintStream out;
  private final boolean json;

  public TurboJob(Config config, DataSets data, PrintStream out, boolean json) {
    this.config = config;
    this.data = data;
    this.out = out;
    this.json = json;
  }

  /** The configuration's Turbo-VBI settings, made by the same code as the estimator's and the compress job's. */
  private TurboSettings turboSettings(int layers) {
    try {
      return CompressionSettings.turbo(ParamKeys.compressor(config), layers, ParamKeys.NAMES,
          warning -> System.err.println("warning: " + warning));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** Runs the method and returns its result. */
  public TurboVbi.Result run() {
    ValidationSplit split = data.trainAndValidation();
    ImageShape shape = split.train().shape();
    Network network = Models.network(config, shape.channels(), shape.height(), shape.width(),
        split.train().numClasses(), true);
    int threads = Models.threads(config);
    long seed = config.longValue(ConfigKeys.SEED);
    if (!json) {
      out.printf(Locale.ROOT, "Turbo-VBI on %s, %,d weights; BLAS %s; %d thread(s); train %d, validation %d%n",
          network.describe(), network.weightCount(), Blas.implementation(), threads, split.train().size(),
          split.validation().size());
    }
    try (LocalWStep wStep = new LocalWStep(network, network.initialParameters(seed), split.train(),
        split.validation(), Models.optimizer(config).build(network), config.integer(ConfigKeys.TRAIN_BATCH), threads,
        seed, config.real(ConfigKeys.LOGVAR_CAP))) {
      TurboVbi loop = TurboVbi.onGeometries(turboSettings(network.weightLayers().length),
          SupportGeometries.of(network), wStep, new RemovalAwareCost(Models.network(config, shape.channels(),
          shape.height(), shape.width(), split.train().numClasses(), false)));
      TurboVbi.Result result = loop.run(new HistoryPrinter(out, json));
      float[] masked = Masks.apply(network, wStep.parameters(), result.masks());
      LabeledSamples test = data.test();
      double testAccuracy;
      try (GradientEngine engine = new GradientEngine(network, threads, 256)) {
        testAccuracy = engine.evaluate(masked, test.features(), test.labels(), 0, test.size()).accuracy();
      }
      long kept = Masks.kept(result.masks());
      double compression = (double) network.weightCount() / Math.max(1, kept);
      double afterRemoval = result.history().get(result.history().size() - 1).prunedCompression();
      if (json) {
        out.println(new JsonLine().put("event", "result").put("weights", network.weightCount()).put("kept", kept)
            .put("compression", compression).put("compression_after_removal", afterRemoval)
            .put("test_accuracy_masked", testAccuracy));
      } else {
        out.printf(Locale.ROOT, "final mask: %,d of %,d weights kept (%.1fx; %.1fx after unit removal); test "
            + "accuracy of the masked network (no fine-tuning) %.4f%n", kept, network.weightCount(), compression,
            afterRemoval, testAccuracy);
      }
      return result;
    }
  }
}
