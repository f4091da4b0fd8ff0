package io.turbovbi.jobs;

import io.turbovbi.data.ImageShape;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.data.ValidationSplit;
import io.turbovbi.nn.Blas;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.spark.NetworkRecipe;
import io.turbovbi.spark.ShardedData;
import io.turbovbi.spark.SparkTrainer;
import io.turbovbi.spark.SparkWStep;
import io.turbovbi.turbo.Masks;
import io.turbovbi.turbo.TurboVbi;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The compression job: Turbo-VBI with its w-step spread over a Spark cluster (or an embedded local Spark), a
 * checkpoint after every outer iteration, and the result (variational state, final mask, metrics, history) written
 * to a local path or hdfs://.
 */
final class CompressJob {
  private final Config config;
  private final PrintStream out;
  private final boolean json;
  private final boolean overwrite;
  private final boolean resume;
  private final IntConsumer afterCheckpoint;

  CompressJob(Config config, PrintStream out, boolean json, boolean overwrite, boolean resume) {
    this(config, out, json, overwrite, resume, iteration -> { });
  }

  /** @param afterCheckpoint told the iteration of every checkpoint once it is written (tests stop runs with it) */
  CompressJob(Config config, PrintStream out, boolean json, boolean overwrite, boolean resume,
              IntConsumer afterCheckpoint) {
    this.config = config;
    this.out = out;
    this.json = json;
    this.overwrite = overwrite;
    this.resume = resume;
    this.afterCheckpoint = afterCheckpoint;
  }

  /** Runs the job and returns where the result went; the Spark session is stopped at the end. */
  String run() {
    SparkSession session = SparkSetup.session(config, "turbovbi compress");
    try {
      return run(session);
    } finally {
      session.stop();
    }
  }

  private String run(SparkSession session) {
    long start = System.nanoTime();
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
    RunOutput output = new RunOutput(config.required(ConfigKeys.OUTPUT), spark.hadoopConfiguration());
    output.prepare(overwrite, resume);
    if (resume && output.hasResult()) {
      say("the run in " + output.location() + " is already complete", new JsonLine().put("event", "complete")
          .put("output", output.location()));
      return output.location();
    }
    DataSets data = new DataSets(config, spark.hadoopConfiguration(), () -> session);
    ValidationSplit split = data.trainAndValidation();
    ImageShape shape = split.train().shape();
    NetworkRecipe recipe = new NetworkRecipe(config.required(ConfigKeys.NETWORK), shape.channels(), shape.height(),
        shape.width(), split.train().numClasses(), true, config.real(ConfigKeys.LOGVAR_INIT));
    Network network;
    try {
      network = recipe.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.NETWORK.name() + ": " + e.getMessage());
    }
    long seed = config.longValue(ConfigKeys.SEED);
    int partitions = config.integer(ConfigKeys.CLUSTER_PARTITIONS) > 0 ? config.integer(ConfigKeys.CLUSTER_PARTITIONS)
        : Math.max(1, spark.defaultParallelism() / config.integer(ConfigKeys.CLUSTER_TASK_THREADS));
    int batch = config.integer(ConfigKeys.CLUSTER_BATCH) > 0 ? config.integer(ConfigKeys.CLUSTER_BATCH)
        : config.integer(ConfigKeys.TRAIN_BATCH);
    SparkTrainer.Settings settings = new SparkTrainer.Settings(
        SparkTrainer.Mode.valueOf(config.required(ConfigKeys.CLUSTER_MODE).toUpperCase(Locale.ROOT)), batch,
        config.integer(ConfigKeys.CLUSTER_LOCAL_STEPS), config.integer(ConfigKeys.CLUSTER_DEPTH),
        config.integer(ConfigKeys.CLUSTER_TASK_THREADS));
    int driverThreads = Models.threads(config);
    say(String.format(Locale.ROOT, "compress: %s, %,d weights; Spark %s (%s), %d partitions, %s mode, batch %d; "
            + "BLAS %s; train %d, validation %d; output %s", network.describe(), network.weightCount(),
            spark.version(), spark.master(), partitions, settings.mode().name().toLowerCase(Locale.ROOT), batch,
            Blas.implementation(), split.train().size(), split.validation().size(), output.location()),
        new JsonLine().put("event", "start").put("network", network.describe()).put("weights",
                network.weightCount()).put("spark", spark.version()).put("master", spark.master())
            .put("partitions", partitions).put("mode", settings.mode().name().toLowerCase(Locale.ROOT))
            .put("batch", batch).put("blas", Blas.implementation()).put("train", split.train().size())
            .put("validation", split.validation().size()).put("output", output.location()));

    try (SparkWStep wStep = new SparkWStep(new SparkTrainer(spark, recipe, network.initialParameters(seed),
        ShardedData.of(spark, split.train(), partitions), Models.optimizer(config), seed, settings, driverThreads),
        split.validation(), config.real(ConfigKeys.LOGVAR_CAP))) {
      SparkTrainer trainer = wStep.trainer();
      trainer.onEpoch(report -> say(String.format(Locale.ROOT,
              "  epoch %d  loss %.4f  %d rounds, %.1f ms/round  %.1f s  %,.0f samples/s", report.epoch() + 1,
              report.meanLoss(), report.rounds(), 1000 * report.secondsPerRound(), report.seconds(),
              report.samples() / report.seconds()),
          new JsonLine().put("event", "epoch").put("epoch", report.epoch() + 1).put("loss", report.meanLoss())
              .put("rounds", report.rounds()).put("seconds", report.seconds())
              .put("seconds_per_round", report.secondsPerRound())));
      TurboVbi loop = new TurboVbi(TurboSetup.settings(config, network.weightLayers().length),
          network.weightShapes(), wStep);
      Optional<InputStream> saved = resume ? output.latestCheckpoint() : Optional.empty();
      if (saved.isPresent()) {
        Checkpoint checkpoint = Checkpoint.readFrom(saved.get(), output.location() + "/checkpoints");
        if (!checkpoint.network().equals(network.describe())) {
          throw new ConfigException("the checkpoint in " + output.location() + " is of " + checkpoint.network()
              + ", not of " + network.describe());
        }
        loop.restore(checkpoint.loop());
        trainer.restore(checkpoint.params(), checkpoint.optimizer(), checkpoint.epochsDone());
        say("resuming after iteration " + checkpoint.loop().iteration(), new JsonLine().put("event", "resume")
            .put("iteration", checkpoint.loop().iteration()));
      }
      long loopStart = System.nanoTime();
      TurboVbi.Result result = loop.run(new HistoryPrinter(out, json), () -> {
        Checkpoint checkpoint = new Checkpoint(network.describe(), loop.state(), trainer.parameters().clone(),
            trainer.optimizer().state(), trainer.epochsDone());
        output.writeCheckpoint(checkpoint.loop().iteration(), checkpoint::writeTo);
        afterCheckpoint.accept(checkpoint.loop().iteration());
      });
      double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
      float[] masked = Masks.apply(network, trainer.parameters(), result.masks());
      double validationAccuracy = wStep.heldOutAccuracy(result.masks());
      LabeledSamples test = data.test();
      double testAccuracy;
      try (GradientEngine engine = new GradientEngine(network, driverThreads, 256)) {
        testAccuracy = engine.evaluate(masked, test.features(), test.labels(), 0, test.size()).correct()
            / (double) test.size();
      }
      List<WeightShape> shapes = network.weightShapes();
      long[] kept = new long[shapes.size()];
      long keptTotal = 0;
      for (int k = 0; k < shapes.size(); k++) {
        for (boolean m : result.masks()[k]) {
          kept[k] += m ? 1 : 0;
        }
        keptTotal += kept[k];
      }
      double compression = (double) network.weightCount() / Math.max(1, keptTotal);
      JsonLine metrics = new JsonLine().put("network", network.describe()).put("weights", network.weightCount())
          .put("weights_kept", keptTotal).put("kept_per_layer", kept).put("compression", compression)
          .put("validation_accuracy_masked", validationAccuracy).put("test_accuracy_masked", testAccuracy)
          .put("iterations", result.history().get(result.history().size() - 1).iteration())
          .put("seconds_turbo", loopSeconds).put("seconds_total", (System.nanoTime() - start) / 1e9)
          .put("spark_version", spark.version()).put("master", spark.master()).put("partitions", partitions)
          .put("mode", settings.mode().name().toLowerCase(Locale.ROOT)).put("blas", Blas.implementation())
          .put("seed", seed).put("config", new TreeMap<>(config.explicitValues()));
      output.writeResult(directory -> {
        directory.file("metrics.json", o -> o.write((metrics + "\n").getBytes(StandardCharsets.UTF_8)));
        directory.file("history.csv", HistoryCsv.of(result.history()));
        directory.file("variational/params.npy", Npy.floats(trainer.parameters(), trainer.parameters().length));
        directory.file("variational/network.json", o -> o.write((networkJson(recipe, network) + "\n")
            .getBytes(StandardCharsets.UTF_8)));
        for (int k = 0; k < shapes.size(); k++) {
          int[] dims = dims(shapes.get(k));
          directory.file(String.format("mask/layer-%d.npy", k + 1), Npy.booleans(result.masks()[k], dims));
          directory.file(String.format("pit/layer-%d.npy", k + 1), Npy.doubles(result.pit()[k], dims));
        }
      });
      say(String.format(Locale.ROOT, "result: %,d of %,d weights kept (%.1fx); masked network accuracy: "
              + "validation %.4f, test %.4f; %.0f s; written to %s", keptTotal, network.weightCount(), compression,
              validationAccuracy, testAccuracy, (System.nanoTime() - start) / 1e9, output.resultLocation()),
          new JsonLine().put("event", "result").put("compression", compression).put("test_accuracy_masked",
              testAccuracy).put("validation_accuracy_masked", validationAccuracy)
              .put("output", output.resultLocation()));
      return output.location();
    }
  }

  private static int[] dims(WeightShape shape) {
    return shape.convolutional() ? new int[] {shape.outputs(), shape.inputs(), shape.kernel(), shape.kernel()}
        : new int[] {shape.outputs(), shape.inputs()};
  }

  private static JsonLine networkJson(NetworkRecipe recipe, Network network) {
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (ParamBlock block : network.blocks()) {
      blocks.add(Map.of("layer", block.layer() + 1, "kind", block.kind().name().toLowerCase(Locale.ROOT),
          "offset", block.offset(), "length", block.length()));
    }
    return new JsonLine().put("description", recipe.description()).put("layers", network.describe())
        .put("input", new int[] {recipe.channels(), recipe.height(), recipe.width()})
        .put("classes", recipe.classes()).put("blocks", blocks);
  }

  private void say(String text, JsonLine line) {
    out.println(json ? line.toString() : text);
  }
}
