package io.turbovbi.jobs;

import io.turbovbi.compress.OnnxImport;
import io.turbovbi.data.ImageShape;
import io.turbovbi.nn.Blas;
import io.turbovbi.nn.DivergenceException;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.spark.Checkpoint;
import io.turbovbi.spark.CheckpointFormat;
import io.turbovbi.spark.CompressionPipeline;
import io.turbovbi.spark.CompressionSettings;
import io.turbovbi.spark.SparkTrainer;
import io.turbovbi.spark.StartingNetwork;
import io.turbovbi.turbo.IterationRecord;
import io.turbovbi.turbo.Masks;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The compression job: find a mask (Turbo-VBI with the w-step spread over a Spark cluster or an embedded local
 * Spark, or the magnitude baseline), remove dead units, fine-tune, and write the result (Spark ML model, metrics,
 * history, masks, variational state) to a local path or hdfs://, with a checkpoint after every outer iteration.
 */
final class CompressJob {
  /**
   * Test-only system property: an outer iteration (0: the warm-up) whose w-step reports a divergence, so that
   * fault tests can make a run diverge after some of its checkpoints are written.
   */
  static final String DIVERGE_IN_ITERATION = "turbovbi.test.divergeInIteration";

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

  CompressJob(Config config, PrintStream out, boolean json, boolean overwrite, boolean resume) {
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
  String run() {
    if (overwrite && resume) {
      throw new ConfigException("--overwrite and --resume exclude each other: --resume continues the run in the "
          + "output location, --overwrite replaces it");
    }
    RunOutput output = new RunOutput(config.required(ConfigKeys.OUTPUT), hadoop);
    try (OutputLock lock = output.lock(message -> say(message, new JsonLine().put("event", "lock")
        .put("message", message)))) {
      return run(output, lock);
    } finally {
      if (session != null) {
        session.stop();
      }
    }
  }

  /** The Spark session, started on first use: bad input and a busy output are refused before Spark starts. */
  private SparkSession session() {
    if (session == null) {
      session = SparkSetup.session(config, "turbovbi compress");
    }
    return session;
  }

  private String run(RunOutput output, OutputLock lock) {
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
      CompressionPipeline.Method method = CompressionPipeline.Method.valueOf(
          config.required(ConfigKeys.METHOD).toUpperCase(Locale.ROOT));
      Network network = Models.network(config, shape.channels(), shape.height(), shape.width(), classes, false);
      float[] startingParams = startingNetwork.map(s -> startingParams(s, shape, classes)).orElse(null);
      Models.requireDriverMemoryFor(network);
      CompressionPipeline.Settings settings = settings(network);
      output.prepare(overwrite, resume);
      Optional<CheckpointFormat.Saved> saved = resume ? output.newestUsableCheckpoint(warning -> say("warning: "
          + warning, new JsonLine().put("event", "warning").put("message", warning))) : Optional.empty();
      if (resume && output.hasResult() && (saved.isEmpty() || output.resultRun().equals(Optional.of(saved.get()
          .run())))) {
        say("the run in " + output.location() + " is already complete", new JsonLine().put("event", "complete")
            .put("output", output.location()));
        return output.location();
      }
      JavaSparkContext spark = JavaSparkContext.fromSparkContext(session().sparkContext());
      int partitions = SparkSetup.partitions(config, spark);
      if (sets == null) {
        String imported = output.location() + "/" + IMPORTED_DATA;
        if (!resume) {
          DataImport.delete(imported, hadoop);
        }
        sets = data.distributed(session(), partitions, onDriver, imported);
        onDriver = null;
      }
      return run(output, lock, start, method, network, settings, startingParams, sets, saved, spark,
          partitions);
    } finally {
      if (sets != null) {
        sets.release();
      }
    }
  }

  private String run(RunOutput output, OutputLock lock, long start, CompressionPipeline.Method method,
                     Network network, CompressionPipeline.Settings settings, float[] startingParams,
                     DataSets.Distributed sets, Optional<CheckpointFormat.Saved> saved, JavaSparkContext spark,
                     int partitions) {
    lock.recordApplication(spark.sc().applicationId());
    int trainSize = Math.toIntExact(sets.train().size());
    int validationSize = Math.toIntExact(sets.validation().size());
    Map<String, String> runSettings = RunSettings.of(config, trainSize + validationSize, validationSize,
        partitions);
    saved.ifPresent(s -> RunSettings.requireSame(s.settings(), runSettings, output.location() + "/checkpoints"));
    String run = saved.map(CheckpointFormat.Saved::run).orElse(UUID.randomUUID().toString());
    say(String.format(Locale.ROOT, "compress (%s): %s, %,d weights; Spark %s (%s), %d partitions, %s mode, batch "
            + "%d; BLAS %s; train %d, validation %d; output %s", method.name().toLowerCase(Locale.ROOT),
            network.describe(), network.weightCount(), spark.version(), spark.master(), partitions,
            settings.trainer().mode().name().toLowerCase(Locale.ROOT), settings.trainer().batchSize(),
            Blas.implementation(), trainSize, validationSize, output.location()),
        new JsonLine().put("event", "start").put("method", method.name().toLowerCase(Locale.ROOT))
            .put("network", network.describe()).put("weights", network.weightCount()).put("spark", spark.version())
            .put("master", spark.master()).put("partitions", partitions)
            .put("mode", settings.trainer().mode().name().toLowerCase(Locale.ROOT))
            .put("batch", settings.trainer().batchSize()).put("blas", Blas.implementation())
            .put("train", trainSize).put("validation", validationSize)
            .put("output", output.location()));

    CompressionPipeline pipeline = new CompressionPipeline(settings).startingFrom(startingParams);
    CompressionPipeline.Result result = pipeline.run(spark, sets.train(), sets.validation(),
        listener(output, saved.map(CheckpointFormat.Saved::checkpoint), run, runSettings));
    Map<String, Double> testAccuracy = new LinkedHashMap<>();
    long testSize = 0;
    if (sets.test() != null) {
      testSize = sets.test().size();
      spark.setJobDescription("turbovbi: test accuracy of the dense, masked and fine-tuned networks");
      testAccuracy.put("dense", pipeline.accuracy(result.dense(), sets.test()));
      testAccuracy.put("masked", pipeline.accuracy(result.masked(), sets.test()));
      testAccuracy.put("fine_tuned", pipeline.accuracy(result.fineTuned(), sets.test()));
    }
    CompressionMetrics.Structure structure = CompressionMetrics.Structure.of(result);
    JsonLine metrics = CompressionMetrics.of(result, structure, testAccuracy)
        .put("iterations", result.history().isEmpty() ? 0
            : result.history().get(result.history().size() - 1).iteration())
        .put("epochs", epochs(result, settings))
        .put("seconds_total", (System.nanoTime() - start) / 1e9).put("spark_version", spark.version())
        .put("master", spark.master()).put("partitions", partitions).put("blas", Blas.implementation())
        .put("data", new JsonLine().put("format", config.text(ConfigKeys.DATA_FORMAT))
            .put("train", trainSize).put("validation", validationSize)
            .put("test", testSize))
        .put("seed", settings.seed()).put("run", run).put("config", Secrets.redacted(config.explicitValues()));
    new ResultFiles(config).write(output, session(), result, structure, metrics, testAccuracy, network);
    long kept = structure.compressedNonZeros();
    double compression = (double) network.weightCount() / Math.max(1, kept);
    say(String.format(Locale.ROOT, "result: %,d of %,d weights kept after unit removal (%.1fx; the mask kept %,d), "
            + "%s; validation accuracy: %s; test accuracy: %s; %.0f s; written to %s", kept, network.weightCount(),
            compression, Masks.kept(result.masks()), result.fineTuned().network().describe(), ResultFiles.accuracies(result.validationAccuracy()),
            testAccuracy.isEmpty() ? "not evaluated" : ResultFiles.accuracies(testAccuracy),
            (System.nanoTime() - start) / 1e9,
            output.resultLocation()),
        new JsonLine().put("event", "result").put("compression", compression).put("test_accuracy", testAccuracy)
            .put("output", output.resultLocation()));
    return output.location();
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

  /** Training epochs of the whole run: warm-up (or dense training), outer iterations and fine-tuning. */
  private static JsonLine epochs(CompressionPipeline.Result result, CompressionPipeline.Settings settings) {
    int warmUp = result.history().isEmpty() ? settings.magnitudeEpochs() : result.history().get(0).epochs();
    int iterations = result.history().stream().skip(1).mapToInt(IterationRecord::epochs).sum();
    return new JsonLine().put("warm_up", warmUp).put("iterations", iterations)
        .put("fine_tuning", settings.fineTuneEpochs()).put("total", warmUp + iterations + settings.fineTuneEpochs());
  }

  /**
   * The pipeline's settings: the configuration as the estimator's params, made settings by the same code as the
   * estimator's; a setting that does not fit the network is a configuration error.
   */
  private CompressionPipeline.Settings settings(Network network) {
    try {
      return CompressionSettings.of(ParamKeys.compressor(config), config.required(ConfigKeys.NETWORK), network,
          ParamKeys.KEY_NAMES, warning -> say("warning: " + warning,
              new JsonLine().put("event", "warning").put("message", warning)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (" + network.describe() + ")");
    }
  }

  private CompressionPipeline.Listener listener(RunOutput output, Optional<Checkpoint> saved, String run,
                                               Map<String, String> runSettings) {
    HistoryPrinter history = new HistoryPrinter(out, json);
    return new CompressionPipeline.Listener() {
      @Override
      public void phase(String name) {
        say(name, new JsonLine().put("event", "phase").put("phase", name));
      }

      /** The iteration of the newest checkpoint this run wrote or resumed from (-1: none yet). */
      private int checkpointed = saved.map(s -> s.loop().iteration()).orElse(-1);

      @Override
      public void epoch(SparkTrainer.EpochReport report) {
        if (Integer.getInteger(DIVERGE_IN_ITERATION, -1) == checkpointed + 1) {
          throw new DivergenceException("epoch " + (report.epoch() + 1) + " diverged: the loss is NaN (injected by "
              + "the test-only setting " + DIVERGE_IN_ITERATION + ")");
        }
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
      public Optional<Checkpoint> resumeFrom() {
        return saved;
      }

      @Override
      public void checkpoint(Checkpoint checkpoint) {
        output.writeCheckpoint(checkpoint.loop().iteration(), out -> CheckpointFormat.write(
            new CheckpointFormat.Saved(checkpoint, run, runSettings), out));
        checkpointed = checkpoint.loop().iteration();
        afterCheckpoint.accept(checkpoint.loop().iteration());
      }
    };
  }


  private void say(String text, JsonLine line) {
    out.println(json ? line.toString() : text);
  }
}
