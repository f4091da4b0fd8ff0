package io.turbovbi.spark.ml;

import io.turbovbi.nn.Blas;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.output.JsonLine;
import io.turbovbi.output.OutputException;
import io.turbovbi.output.OutputLock;
import io.turbovbi.output.RunOutput;
import io.turbovbi.spark.pipeline.Checkpoint;
import io.turbovbi.spark.pipeline.CheckpointFormat;
import io.turbovbi.spark.pipeline.CompressionMetrics;
import io.turbovbi.spark.pipeline.CompressionPipeline;
import io.turbovbi.spark.train.FaultInjection;
import io.turbovbi.spark.train.ShardedData;
import io.turbovbi.spark.train.SparkTrainer;
import io.turbovbi.turbo.IterationRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One compression as the estimator and the compress job both run it. Without an output location ({@code outputPath}
 * unset) it compresses and returns the model. With one it also writes there, through {@link RunOutput}, a checkpoint
 * after every outer iteration and the result (Spark ML model, model.onnx, metrics.json, history.csv, report.html,
 * masks, q(s = 1), variational state), and resumes from the newest usable checkpoint when asked to.
 *
 * <p>The steps, in order: {@link #open} takes the output location's lock, before anything is read, so that a busy
 * output is refused at once; the caller then reads and checks its data, so that bad input leaves no output;
 * {@link #prepare} readies the location and picks the checkpoint to resume from; {@link #run} compresses and writes;
 * {@link #close} releases the lock.
 */
public final class CompressionRun implements AutoCloseable {
  /**
   * How the estimator names settings in messages: by their params, the two flags as they are set
   * ("overwrite=true").
   */
  public static final UnaryOperator<String> PARAM_NAMES = name -> name.equals("overwrite") || name.equals("resume")
      ? name + "=true" : name;

  /** Where a run reports what it does; every report is optional. */
  public interface Progress {
    /** Something done to the output location on the way, e.g. a stale lock removed. */
    default void notice(String message) {}

    /** Something that runs against advice or was passed over, e.g. a damaged checkpoint. */
    default void warning(String message) {}

    default void phase(String name) {}

    default void epoch(SparkTrainer.EpochReport report) {}

    default void iteration(IterationRecord record) {}

    /** A checkpoint of this outer iteration (0: the warm-up) is complete. */
    default void checkpointWritten(int iteration) {}
  }

  /** The data sets of a run, packed on the executors in {@code partitions} partitions; {@code test} may be null. */
  public record Data(ShardedData train, ShardedData validation, ShardedData test, int partitions) {}

  /**
   * What the front end knows of a run that its params do not say.
   *
   * @param data what the data are (e.g. their format and path): in metrics.json's "data" and the model's provenance
   * @param settings the front end's own settings that change the result, for the check on resume
   * @param metrics further entries of metrics.json (e.g. the job's configuration)
   */
  public record Record(Map<String, String> data, Map<String, String> settings, Map<String, Object> metrics) {
    public static Record none() {
      return new Record(Map.of(), Map.of(), Map.of());
    }
  }

  /**
   * What a run made.
   *
   * @param resultLocation where the result was written (null without an output location)
   */
  public record Outcome(CompressedNetworkModel model, CompressionPipeline.Result result,
                        CompressionMetrics.Structure structure, Map<String, Double> testAccuracy,
                        String resultLocation) {}

  private final TurboVbiCompressor params;
  private final UnaryOperator<String> names;
  private final Progress progress;
  /** Null without an output location. */
  private final RunOutput output;
  private final OutputLock lock;
  private Optional<CheckpointFormat.Saved> saved = Optional.empty();

  private CompressionRun(TurboVbiCompressor params, UnaryOperator<String> names, Progress progress,
                         RunOutput output, OutputLock lock) {
    this.params = params;
    this.names = names;
    this.progress = progress;
    this.output = output;
    this.lock = lock;
  }

  /**
   * Opens a run of {@code params}: takes the lock of its output location, if it has one.
   *
   * @param application who holds the lock, as a second run on the same output is told
   * @param names the name of a param in messages (the estimator's {@link #PARAM_NAMES}, or the job's keys)
   * @throws OutputException if {@code overwrite} and {@code resume} are both set, or the location is in use or cannot
   *     be used
   */
  public static CompressionRun open(TurboVbiCompressor params, String application, Configuration hadoop,
                                    UnaryOperator<String> names, Progress progress) {
    if (params.getOverwrite() && params.getResume()) {
      throw new OutputException(names.apply("overwrite") + " and " + names.apply("resume") + " exclude each other: "
          + names.apply("resume") + " continues the run in the output location, " + names.apply("overwrite")
          + " replaces it");
    }
    if (params.getOutputPath().isEmpty()) {
      return new CompressionRun(params, names, progress, null, null);
    }
    RunOutput output = new RunOutput(params.getOutputPath(), hadoop);
    return new CompressionRun(params, names, progress, output, output.lock(application, progress::notice));
  }

  /**
   * Readies the output location once the data are checked: refuses one that holds another run unless the run
   * overwrites or resumes it, and when resuming picks the newest checkpoint that reads back intact.
   *
   * @throws OutputException if the location holds something else, or a run that is neither overwritten nor resumed
   * @throws IllegalArgumentException if it holds checkpoints and none of them is usable
   */
  public void prepare() {
    if (output == null) {
      return;
    }
    output.prepare(params.getOverwrite(), params.getResume(), names);
    if (params.getResume()) {
      saved = output.newestUsableCheckpoint(CheckpointFormat::read, progress::warning, names.apply("overwrite"));
    }
  }

  /** Whether the run resumes one whose result is already written (then there is nothing to do). */
  public boolean complete() {
    return output != null && params.getResume() && output.hasResult()
        && (saved.isEmpty() || output.resultRun().equals(Optional.of(saved.get().run())));
  }

  /** The output location, qualified (e.g. file:/..., hdfs://...); null without one. */
  public String location() {
    return output == null ? null : output.location();
  }

  /** The result's Spark ML model, as a complete run wrote it. */
  public String modelLocation() {
    return output.resultLocation() + "/model";
  }

  /**
   * Compresses {@code data} with {@code settings} and, with an output location, writes checkpoints and the result.
   *
   * @param start the deterministic network's parameters to start from (null: a random initialisation)
   * @throws OutputException if the run resumes checkpoints made under other settings
   */
  public Outcome run(SparkSession session, CompressionPipeline.Settings settings, float[] start, Data data,
                     Record record) {
    long begin = System.nanoTime();
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
    if (lock != null) {
      lock.recordApplication(spark.sc().applicationId());
    }
    int trainSize = Math.toIntExact(data.train().size());
    int validationSize = Math.toIntExact(data.validation().size());
    Map<String, String> runSettings = RunSettings.of(params, names, record.settings(), trainSize, validationSize,
        data.partitions());
    saved.ifPresent(s -> RunSettings.requireSame(s.settings(), runSettings, output.location() + "/checkpoints",
        names));
    String run = saved.map(CheckpointFormat.Saved::run).orElse(UUID.randomUUID().toString());

    CompressionPipeline pipeline = new CompressionPipeline(settings).startingFrom(start);
    CompressionPipeline.Result result = pipeline.run(spark, data.train(), data.validation(),
        listener(run, runSettings));
    Map<String, Double> testAccuracy = new LinkedHashMap<>();
    long testSize = 0;
    if (data.test() != null) {
      testSize = data.test().size();
      spark.setJobDescription("turbovbi: test accuracy of the dense, masked and fine-tuned networks");
      testAccuracy.put("dense", pipeline.accuracy(result.dense(), data.test()));
      testAccuracy.put("masked", pipeline.accuracy(result.masked(), data.test()));
      testAccuracy.put("fine_tuned", pipeline.accuracy(result.fineTuned(), data.test()));
    }
    CompressionMetrics.Structure structure = CompressionMetrics.Structure.of(result);
    Network network = NetworkSpec.parse(settings.description()).build(settings.channels(), settings.height(),
        settings.width(), settings.classes(), LayerFactory.DETERMINISTIC);
    CompressedNetworkModel model = CompressedNetworkModel.of(result.fineTuned(), provenance(settings, network,
        result, record)).withSettingsOf(params);
    if (output == null) {
      return new Outcome(model, result, structure, testAccuracy, null);
    }
    JsonLine dataLine = new JsonLine();
    record.data().forEach(dataLine::put);
    dataLine.put("train", trainSize).put("validation", validationSize).put("test", testSize);
    JsonLine metrics = CompressionMetrics.of(result, structure, testAccuracy)
        .put("iterations", result.history().isEmpty() ? 0
            : result.history().get(result.history().size() - 1).iteration())
        .put("epochs", epochs(result, settings))
        .put("seconds_total", (System.nanoTime() - begin) / 1e9).put("spark_version", spark.version())
        .put("master", spark.master()).put("partitions", data.partitions()).put("blas", Blas.implementation())
        .put("data", dataLine).put("seed", settings.seed()).put("run", run);
    record.metrics().forEach(metrics::put);
    new ResultFiles(settings, network).write(output, session, new ResultFiles.Contents(result, structure, metrics,
        testAccuracy, model, "turbovbi compress: " + params.getOutputPath()));
    return new Outcome(model, result, structure, testAccuracy, output.resultLocation());
  }

  /** How the model was made: method, networks, start, data, seed, validation accuracy, time. */
  private Map<String, String> provenance(CompressionPipeline.Settings settings, Network network,
                                         CompressionPipeline.Result result, Record record) {
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("estimator", params.uid());
    provenance.put("method", result.method().name().toLowerCase(Locale.ROOT));
    provenance.put("original_network", network.describe());
    provenance.put("original_description", settings.description());
    if (!params.getInitialNetwork().isEmpty()) {
      provenance.put("initial_network", params.getInitialNetwork());
    }
    if (!record.data().isEmpty()) {
      provenance.put("data", String.join(" ", record.data().values()));
    }
    provenance.put("seed", Long.toString(settings.seed()));
    provenance.put("validation_accuracy", result.validationAccuracy().toString());
    provenance.put("created", Instant.now().toString());
    return provenance;
  }

  /** Training epochs of the whole run: warm-up (or dense training), outer iterations and fine-tuning. */
  private static JsonLine epochs(CompressionPipeline.Result result, CompressionPipeline.Settings settings) {
    int warmUp = result.history().isEmpty() ? settings.magnitudeEpochs() : result.history().get(0).epochs();
    int iterations = result.history().stream().skip(1).mapToInt(IterationRecord::epochs).sum();
    return new JsonLine().put("warm_up", warmUp).put("iterations", iterations)
        .put("fine_tuning", settings.fineTuneEpochs()).put("total", warmUp + iterations + settings.fineTuneEpochs());
  }

  /** Progress to the caller, checkpoints to the output location. */
  private CompressionPipeline.Listener listener(String run, Map<String, String> runSettings) {
    return new CompressionPipeline.Listener() {
      /** The iteration of the newest checkpoint this run wrote or resumed from (-1: none yet). */
      private int checkpointed = saved.map(s -> s.checkpoint().loop().iteration()).orElse(-1);

      @Override
      public void phase(String name) {
        progress.phase(name);
      }

      @Override
      public void epoch(SparkTrainer.EpochReport report) {
        FaultInjection.divergeIfAsked(checkpointed + 1, report.epoch());
        progress.epoch(report);
      }

      @Override
      public void iteration(IterationRecord record) {
        progress.iteration(record);
      }

      @Override
      public Optional<Checkpoint> resumeFrom() {
        return saved.map(CheckpointFormat.Saved::checkpoint);
      }

      @Override
      public void checkpoint(Checkpoint checkpoint) {
        int iteration = checkpoint.loop().iteration();
        if (output != null) {
          output.writeCheckpoint(iteration, out -> CheckpointFormat.write(new CheckpointFormat.Saved(checkpoint,
              run, runSettings), out));
          progress.checkpointWritten(iteration);
        }
        checkpointed = iteration;
        progress.checkpointWritten(iteration);
      }
    };
  }

  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
