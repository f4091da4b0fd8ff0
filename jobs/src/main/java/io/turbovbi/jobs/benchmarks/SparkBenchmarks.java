package io.turbovbi.jobs.benchmarks;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.jobs.run.SparkSetup;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.output.JsonLine;
import io.turbovbi.spark.train.NetworkRecipe;
import io.turbovbi.spark.train.RoundBenchmark;
import io.turbovbi.spark.train.SampleFrames;
import io.turbovbi.spark.train.SampleSource;
import io.turbovbi.spark.train.ShardedData;
import io.turbovbi.spark.train.SparkTrainer;
import io.turbovbi.spark.train.SparkWStep;
import io.turbovbi.turbo.LocalWStep;
import io.turbovbi.turbo.WStep;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Benchmarks of the distributed w-step, on the Spark master of the configuration (cluster.master). */
public final class SparkBenchmarks {
  private final Config config;
  private final PrintStream out;
  private final boolean json;

  public SparkBenchmarks(Config config, PrintStream out, boolean json) {
    this.config = config;
    this.out = out;
    this.json = json;
  }

  public void rounds(List<Integer> floats, int rounds, int partitions, int depth) {
    SparkSession session = SparkSetup.session(config, "turbovbi round-benchmark");
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
    for (int n : floats) {
      RoundBenchmark.Result r = RoundBenchmark.run(spark, n, partitions, rounds, depth);
      if (json) {
        out.println(new JsonLine().put("benchmark", "round").put("master", spark.master()).put("floats", n)
            .put("partitions", partitions).put("depth", depth).put("rounds", rounds).put("median_ms", r.medianMs())
            .put("q1_ms", r.lowerQuartileMs()).put("q3_ms", r.upperQuartileMs()));
      } else {
        out.printf(Locale.ROOT, "%s, %d partitions: %,9d floats  median %6.1f ms  (quartiles %.1f - %.1f)%n",
            spark.master(), partitions, n, r.medianMs(), r.lowerQuartileMs(), r.upperQuartileMs());
      }
    }
    session.stop();
  }

  /**
   * Training throughput of the variational w-step on the built-in sample: the single-JVM trainer on 2 threads, then
   * the Spark w-step on each given master; one untimed epoch first.
   */
  public void wStep(List<String> models, List<String> masters, int batch, int epochs, int taskThreads,
             SparkTrainer.Mode mode, int localSteps) {
    LabeledSamples train = BuiltInSample.train();
    for (String model : models) {
      NetworkRecipe recipe = new NetworkRecipe(model, 1, 28, 28, 10, true, -10);
      Network network = recipe.build();
      double[][] precisions = network.weightShapes().stream().map(shape -> filled(shape.count(), 1.0))
          .toArray(double[][]::new);
      double local;
      try (LocalWStep single = new LocalWStep(network, network.initialParameters(1), train, null,
          new OptimizerSettings("adam", 1e-3, 1e-3, 0).build(network), batch, 2, 1, -8)) {
        single.run(precisions, 1);
        local = train.size() * epochs / single.run(precisions, epochs).seconds();
      }
      report(model, "single-jvm, 2 threads", batch, local, 0, Double.NaN, local);
      for (String master : masters) {
        SparkSession session = SparkSetup.session(config.with(ConfigKeys.CLUSTER_MASTER, master)
            .with(ConfigKeys.CLUSTER_TASK_THREADS, Integer.toString(taskThreads)), "turbovbi w-step benchmark");
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
        int partitions = SparkSetup.partitions(config.with(ConfigKeys.CLUSTER_TASK_THREADS,
            Integer.toString(taskThreads)), spark);
        ShardedData shards = SampleSource.of(SampleFrames.of(session, train, partitions),
            DataFrameSamples.of(train.shape(), train.numClasses()), "the built-in sample", partitions)
            .select(SampleSource.Selection.all());
        try (SparkWStep step = new SparkWStep(new SparkTrainer(spark, recipe, network.initialParameters(1),
            shards, new OptimizerSettings("adam", 1e-3, 1e-3, 0), 1,
            new SparkTrainer.Settings(mode, batch, localSteps, 1, taskThreads), 2), null, -8)) {
          step.run(precisions, 1);
          WStep.Result result = step.run(precisions, epochs);
          double rate = train.size() * epochs / result.seconds();
          report(model, master + ", " + partitions + " x " + taskThreads + " thread(s), " + mode.name()
              .toLowerCase(Locale.ROOT) + (mode == SparkTrainer.Mode.AVERAGE ? " " + localSteps + " steps" : ""), batch,
              rate,
              result.rounds(), result.seconds() / result.rounds(), local);
        } finally {
          session.stop();
        }
      }
    }
  }

  private void report(String model, String setup, int batch, double samplesPerSecond, int rounds,
                      double secondsPerRound, double singleJvm) {
    if (json) {
      out.println(new JsonLine().put("benchmark", "w-step").put("model", model).put("setup", setup)
          .put("mode", "variational").put("batch", batch).put("samples_per_s", samplesPerSecond)
          .put("rounds", rounds).put("ms_per_round", 1000 * secondsPerRound)
          .put("ratio_to_single_jvm", samplesPerSecond / singleJvm));
    } else {
      out.printf(Locale.ROOT, "%-9s %-22s batch %d  %,9.0f samples/s  %s  %.2fx single JVM%n", model, setup, batch,
          samplesPerSecond, rounds == 0 ? "" : String.format(Locale.ROOT, "%.1f ms/round", 1000 * secondsPerRound),
          samplesPerSecond / singleJvm);
    }
  }

  private static double[] filled(int length, double value) {
    double[] values = new double[length];
    Arrays.fill(values, value);
    return values;
  }
}
