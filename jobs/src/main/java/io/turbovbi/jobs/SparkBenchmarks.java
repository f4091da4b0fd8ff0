package io.turbovbi.jobs;

import io.turbovbi.spark.RoundBenchmark;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Benchmarks of the distributed w-step, on the Spark master of the configuration (cluster.master). */
final class SparkBenchmarks {
  private final Config config;
  private final PrintStream out;
  private final boolean json;

  SparkBenchmarks(Config config, PrintStream out, boolean json) {
    this.config = config;
    this.out = out;
    this.json = json;
  }

  void rounds(List<Integer> floats, int rounds, int partitions, int depth) {
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
}
