package io.turbovbi.jobs.run;

import io.turbovbi.compress.OnnxImport;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.ImageShape;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.config.ConfigKey;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.jobs.config.ParamKeys;
import io.turbovbi.jobs.config.Secrets;
import io.turbovbi.nn.Blas;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.output.JsonLine;
import io.turbovbi.spark.ml.CompressionRun;
import io.turbovbi.spark.ml.CompressionSettings;
import io.turbovbi.spark.ml.StartingNetwork;
import io.turbovbi.spark.ml.TurboVbiCompressor;
import io.turbovbi.spark.pipeline.CompressionMetrics;
import io.turbovbi.spark.pipeline.CompressionPipeline;
import io.turbovbi.spark.train.SparkTrainer;
import io.turbovbi.turbo.IterationRecord;
import io.turbovbi.turbo.Masks;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The compression job, a front end to {@link CompressionRun} (which the estimator runs too): it reads the
 * configuration into the estimator's params, reads the data (IDX files and the built-in sample on the driver,
 * imported once as Parquet into the output location; LibSVM and Parquet by the executors), prints progress, and
 * starts the Spark session (embedded local[*] when not under spark-submit).
 */
public final class CompressJob {
  private static final String APPLICATION = "turbovbi compress";
  /** How the IDX readers (and the built-in sample) turn pixels into features. */
  private static final String IDX_SCALING = "pixel / 255";
  /**
   * Keys of the job, not params, that change the result: recorded in checkpoints, so that a resume under others is
   * refused. The test set is read only at the end, and output and master do not change what is computed.
   */
  private static final List<ConfigKey> RESULT_CHANGING_JOB_KEYS = List.of(ConfigKeys.DATA_FORMAT,
      ConfigKeys.DATA_TRAIN, ConfigKeys.DATA_TRAIN_LABELS, ConfigKeys.DATA_TRAIN_LIMIT, ConfigKeys.CLUSTER_BATCH);

  private final Config config;
  /** The trained network the run starts from ({@link ConfigKeys#NETWORK_INITIAL}), if any. */
  private final Optional<OnnxImport.Imported> startingNetwork;
  private final PrintStream out;
  private final boolean json;
  private final boolean overwrite;
  private final boolean resume;
  private final IntConsumer afterCheckpoint;
  /** What reads the data and writes the output, before Spark starts (and whether or not it does). */
  private final Configuration hadoop;
  private SparkSession session;
  /** Where IDX input is imported as Parquet, inside the output location. */
  static final String IMPORTED_DATA = "data";

  public CompressJob(Config config, PrintStream out, boolean json, boolean overwrite, boolean resume) {
    this(config, out, json, overwrite, resume, iteration -> { });
  }

  /** @param afterCheckpoint told the iteration of every checkpoint once it is written (tests stop runs with it) */
  CompressJob(Config config, PrintStream out, boolean json, boolean overwrite, boolean resume,
              IntConsumer afterCheckpoint) {
    this.hadoop = SparkSetup.hadoopConfiguration(config);
    this.startingNetwork = startingNetwork(config, hadoop);
    // The network description is the starting network's, so that everything the run writes and checks sees it.
    this.config = startingNetwork.map(s -> config.with(ConfigKeys.NETWORK, s.network().spec().toString()))
        .orElse(config);
    this.out = out;
    this.json = json;
    this.overwrite = overwrite;
    this.resume = resume;
    this.afterCheckpoint = afterCheckpoint;
  }

  /**
   * Reads {@link ConfigKeys#NETWORK_INITIAL}'s ONNX file, if set; a network set beside it must be the same (an empty
   * one counts as unset, so that a configuration file's network can be cleared on the command line).
   */
  private static Optional<OnnxImport.Imported> startingNetwork(Config config, Configuration hadoop) {
    String path = config.text(ConfigKeys.NETWORK_INITIAL);
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    OnnxImport.Imported imported;
    try {
      imported = StartingNetwork.read(hadoop, path);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.NETWORK_INITIAL.name() + ": " + e.getMessage());
    }
    String explicit = config.explicitValues().get(ConfigKeys.NETWORK.name());
    String description = imported.network().spec().toString();
    if (explicit != null && !explicit.isEmpty() && !NetworkSpec.parse(explicit).toString().equals(description)) {
      throw new ConfigException(ConfigKeys.NETWORK.name() + " is '" + explicit + "' but the starting network "
          + path + " (" + ConfigKeys.NETWORK_INITIAL.name() + ") is " + description + ": leave "
          + ConfigKeys.NETWORK.name() + " unset (" + ConfigKeys.NETWORK.name() + "= on the command line)");
    }
    return Optional.of(imported);
  }

  /** Runs the job and returns where the result went; the Spark session is stopped at the end. */
  public String run() {
    TurboVbiCompressor params = compressor();
    try (CompressionRun run = CompressionRun.open(params, APPLICATION, hadoop, ParamKeys.NAMES, progress())) {
      return run(run, params);
    } finally {
      if (session != null) {
        session.stop();
      }
    }
  }

  /**
   * The configuration as the estimator's params: the compression settings ({@link ParamKeys}), the output location
   * and flags, and the input contract of the built-in sample and of IDX files.
   */
  private TurboVbiCompressor compressor() {
    TurboVbiCompressor compressor = ParamKeys.compressor(config).setOutputPath(config.required(ConfigKeys.OUTPUT))
        .setOverwrite(overwrite).setResume(resume);
    String format = config.text(ConfigKeys.DATA_FORMAT);
    if (format.equals("builtin") || format.equals("idx")) {
      compressor.setInputScaling(IDX_SCALING);
    }
    if (format.equals("builtin")) {
      compressor.setClassLabels(BuiltInSample.CLASS_NAMES.toArray(new String[0]));
    }
    return compressor;
  }

  /** The Spark session, started on first use: bad input and a busy output are refused before Spark starts. */
  private SparkSession session() {
    if (session == null) {
      session = SparkSetup.session(config, APPLICATION);
    }
    return session;
  }

  private String run(CompressionRun run, TurboVbiCompressor params) {
    long start = System.nanoTime();
    // Everything the run reads is checked before the output location is touched: bad input leaves no output. IDX
    // files and the built-in sample are read on the driver (and imported into the output location once it is
    // ready); the executors read the other formats, and check every row, before the output location is prepared.
    DataSets data = new DataSets(config, hadoop);
    DataSets.DriverSamples onDriver = data.readOnDriver();
    DataSets.Distributed sets = null;
    if (onDriver == null) {
      JavaSparkContext spark = JavaSparkContext.fromSparkContext(session().sparkContext());
      sets = data.distributed(session(), SparkSetup.partitions(config, spark), null, null);
    }
    try {
      ImageShape shape = data.shape();
      int classes = data.classes();
      Network network = Models.network(config, shape.channels(), shape.height(), shape.width(), classes, false);
      float[] startingParams = startingNetwork.map(s -> startingParams(s, shape, classes)).orElse(null);
      Models.requireDriverMemoryFor(network);
      CompressionPipeline.Settings settings = settings(params, network);
      run.prepare();
      if (run.complete()) {
        say("the run in " + run.location() + " is already complete", new JsonLine().put("event", "complete")
            .put("output", run.location()));
        return run.location();
      }
      JavaSparkContext spark = JavaSparkContext.fromSparkContext(session().sparkContext());
      int partitions = SparkSetup.partitions(config, spark);
      if (sets == null) {
        String imported = run.location() + "/" + IMPORTED_DATA;
        if (!resume) {
          DataImport.delete(imported, hadoop);
        }
        sets = data.distributed(session(), partitions, onDriver, imported);
        onDriver = null;
      }
      sayStart(run, network, settings, sets, spark, partitions);
      CompressionRun.Outcome outcome = run.run(session(), settings, startingParams, new CompressionRun.Data(
          sets.train(), sets.validation(), sets.test(), partitions), record());
      sayResult(outcome, network, start);
      return run.location();
    } finally {
      if (sets != null) {
        sets.release();
      }
    }
  }

  /**
   * What the run records beside its params: the data's format and path, the data keys that change the result (for
   * the check on resume), and every key set, secrets redacted.
   */
  private CompressionRun.Record record() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("format", config.text(ConfigKeys.DATA_FORMAT));
    if (config.text(ConfigKeys.DATA_TRAIN) != null) {
      data.put("path", config.text(ConfigKeys.DATA_TRAIN));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (ConfigKey key : RESULT_CHANGING_JOB_KEYS) {
      if (config.text(key) != null) {
        settings.put(key.name(), config.text(key));
      }
    }
    return new CompressionRun.Record(data, settings, Map.of("config", Secrets.redacted(config.explicitValues())));
  }

  private void sayStart(CompressionRun run, Network network, CompressionPipeline.Settings settings,
                        DataSets.Distributed sets, JavaSparkContext spark, int partitions) {
    String method = settings.method().name().toLowerCase(Locale.ROOT);
    String mode = settings.trainer().mode().name().toLowerCase(Locale.ROOT);
    long trainSize = sets.train().size();
    long validationSize = sets.validation().size();
    say(String.format(Locale.ROOT, "compress (%s): %s, %,d weights; Spark %s (%s), %d partitions, %s mode, batch "
            + "%d; BLAS %s; train %d, validation %d; output %s", method, network.describe(), network.weightCount(),
            spark.version(), spark.master(), partitions, mode, settings.trainer().batchSize(), Blas.implementation(),
            trainSize, validationSize, run.location()),
        new JsonLine().put("event", "start").put("method", method).put("network", network.describe())
            .put("weights", network.weightCount()).put("spark", spark.version()).put("master", spark.master())
            .put("partitions", partitions).put("mode", mode).put("batch", settings.trainer().batchSize())
            .put("blas", Blas.implementation()).put("train", trainSize).put("validation", validationSize)
            .put("output", run.location()));
  }

  private void sayResult(CompressionRun.Outcome outcome, Network network, long start) {
    CompressionPipeline.Result result = outcome.result();
    long kept = outcome.structure().compressedNonZeros();
    double compression = (double) network.weightCount() / Math.max(1, kept);
    Map<String, Double> testAccuracy = outcome.testAccuracy();
    say(String.format(Locale.ROOT, "result: %,d of %,d weights kept after unit removal (%.1fx; the mask kept %,d), "
            + "%s; validation accuracy: %s; test accuracy: %s; %.0f s; written to %s", kept, network.weightCount(),
            compression, Masks.kept(result.masks()), result.fineTuned().network().describe(),
            CompressionMetrics.accuracies(result.validationAccuracy()),
            testAccuracy.isEmpty() ? "not evaluated" : CompressionMetrics.accuracies(testAccuracy),
            (System.nanoTime() - start) / 1e9, outcome.resultLocation()),
        new JsonLine().put("event", "result").put("compression", compression).put("test_accuracy", testAccuracy)
            .put("output", outcome.resultLocation()));
  }

  /** The starting network's parameters, once its input shape and classes are checked against the data's. */
  private float[] startingParams(OnnxImport.Imported imported, ImageShape shape, int classes) {
    String path = config.text(ConfigKeys.NETWORK_INITIAL);
    OnnxImport.Imported onData;
    try {
      onData = imported.withShape(shape);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.NETWORK_INITIAL.name() + ": " + path + ": " + e.getMessage()
          + " (the data's shape, " + ConfigKeys.DATA_SHAPE.name() + ")");
    }
    if (onData.network().network().classes() != classes) {
      throw new ConfigException(ConfigKeys.NETWORK_INITIAL.name() + ": " + path + " has "
          + onData.network().network().classes() + " classes, the data " + classes);
    }
    return onData.network().params();
  }

  /**
   * The pipeline's settings: the configuration as the estimator's params, made settings by the same code as the
   * estimator's; a setting that does not fit the network is a configuration error.
   */
  private CompressionPipeline.Settings settings(TurboVbiCompressor params, Network network) {
    try {
      return CompressionSettings.of(params, config.required(ConfigKeys.NETWORK), network,
          ParamKeys.NAMES, warning -> say("warning: " + warning,
              new JsonLine().put("event", "warning").put("message", warning)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (" + network.describe() + ")");
    }
  }

  /** Progress as lines for people or JSON lines; the test hook is told of every checkpoint written. */
  private CompressionRun.Progress progress() {
    HistoryPrinter history = new HistoryPrinter(out, json);
    return new CompressionRun.Progress() {
      @Override
      public void notice(String message) {
        say(message, new JsonLine().put("event", "lock").put("message", message));
      }

      @Override
      public void warning(String message) {
        say("warning: " + message, new JsonLine().put("event", "warning").put("message", message));
      }

      @Override
      public void phase(String name) {
        say(name, new JsonLine().put("event", "phase").put("phase", name));
      }

      @Override
      public void epoch(SparkTrainer.EpochReport report) {
        say(String.format(Locale.ROOT, "  epoch %d  loss %.4f  %d rounds, %.1f ms/round  %.1f s  %,.0f samples/s",
                report.epoch() + 1, report.meanLoss(), report.rounds(), 1000 * report.secondsPerRound(),
                report.seconds(), report.samples() / report.seconds()),
            new JsonLine().put("event", "epoch").put("epoch", report.epoch() + 1).put("loss", report.meanLoss())
                .put("rounds", report.rounds()).put("seconds", report.seconds())
                .put("seconds_per_round", report.secondsPerRound()));
      }

      @Override
      public void iteration(IterationRecord record) {
        history.accept(record);
      }

      @Override
      public void checkpointWritten(int iteration) {
        afterCheckpoint.accept(iteration);
      }
    };
  }

  private void say(String text, JsonLine line) {
    out.println(json ? line.toString() : text);
  }
}
