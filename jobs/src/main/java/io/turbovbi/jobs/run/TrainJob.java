package io.turbovbi.jobs.run;

import io.turbovbi.bayes.GaussianKl;
import io.turbovbi.data.ImageShape;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.data.ValidationSplit;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.nn.Blas;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.Trainer;
import io.turbovbi.nn.Update;
import io.turbovbi.output.JsonLine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Trains one network (deterministic, or variational with a fixed prior precision) on a single JVM and reports
 * accuracy on the validation split after every epoch and on the test set at the end.
 */
public final class TrainJob {
  private final Config config;
  private final DataSets data;
  private final PrintStream out;
  private final boolean json;

  public TrainJob(Config config, DataSets data, PrintStream out, boolean json) {
    this.config = config;
    this.data = data;
    this.out = out;
    this.json = json;
  }

  /** Runs the job and returns the test accuracy. */
  public double run() {
    boolean variational = config.flag(ConfigKeys.TRAIN_VARIATIONAL);
    ValidationSplit split = data.trainAndValidation();
    LabeledSamples train = split.train();
    LabeledSamples validation = split.validation();
    ImageShape shape = train.shape();
    Network network = Models.network(config, shape.channels(), shape.height(), shape.width(), train.numClasses(),
        variational);
    int threads = Models.threads(config);
    int batch = config.integer(ConfigKeys.TRAIN_BATCH);
    long seed = config.longValue(ConfigKeys.SEED);
    report(String.format(Locale.ROOT, "network %s%s, %,d parameters; BLAS %s; %d thread(s); train %d, validation %d",
        network.describe(), variational ? " (variational)" : "", network.parameterCount(), Blas.implementation(),
        threads, train.size(), validation.size()),
        new JsonLine().put("event", "start").put("network", network.describe()).put("variational", variational)
            .put("parameters", network.parameterCount()).put("blas", Blas.implementation()).put("threads", threads)
            .put("train", train.size()).put("validation", validation.size()));
    GaussianKl kl = null;
    if (variational) {
      kl = new GaussianKl(network);
      kl.setPrecision(config.real(ConfigKeys.PRIOR_PRECISION));
    }
    float[] params = network.initialParameters(seed);
    try (GradientEngine engine = new GradientEngine(network, threads, Math.max(batch, 256))) {
      Trainer trainer = new Trainer(engine, new Update(Models.optimizer(config).build(network), kl,
          Models.constraints(config, network, variational), engine), batch, seed);
      int epochs = config.integer(ConfigKeys.TRAIN_EPOCHS);
      for (int epoch = 0; epoch < epochs; epoch++) {
        Trainer.EpochResult result = trainer.epoch(params, train.features(), train.labels(), epoch);
        double validationAccuracy = accuracy(engine, params, validation);
        report(String.format(Locale.ROOT,
                "epoch %d/%d  loss %.4f  train acc %.4f  validation acc %.4f  %.1f s  %,.0f samples/s",
                epoch + 1, epochs, result.meanLoss(), result.accuracy(), validationAccuracy, result.seconds(),
                result.samplesPerSecond()),
            new JsonLine().put("event", "epoch").put("epoch", epoch + 1).put("loss", result.meanLoss())
                .put("kl", variational ? result.regulariser() : null).put("train_accuracy", result.accuracy())
                .put("validation_accuracy", validationAccuracy).put("seconds", result.seconds())
                .put("samples_per_s", result.samplesPerSecond()));
      }
      LabeledSamples test = data.test();
      double testAccuracy = accuracy(engine, params, test);
      report(String.format(Locale.ROOT, "test accuracy %.4f on %d samples", testAccuracy, test.size()),
          new JsonLine().put("event", "test").put("test_accuracy", testAccuracy).put("test_samples", test.size()));
      return testAccuracy;
    }
  }

  private static double accuracy(GradientEngine engine, float[] params, LabeledSamples samples) {
    return engine.evaluate(params, samples.features(), samples.labels(), 0, samples.size()).accuracy();
  }

  private void report(String text, JsonLine line) {
    out.println(json ? line.toString() : text);
  }
}
