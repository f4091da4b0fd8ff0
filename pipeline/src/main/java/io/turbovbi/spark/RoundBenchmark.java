package io.turbovbi.spark;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * The fixed cost of one synchronisation round with trivial compute: broadcast N floats, let every partition
 * return an N-float vector, tree-aggregate, destroy the broadcast, exactly as {@link SparkWStep} does.
 */
public final class RoundBenchmark {
  /** Median and quartiles of the round time, in milliseconds. */
  public record Result(int floats, int partitions, int rounds, double medianMs, double lowerQuartileMs,
                       double upperQuartileMs) {}

  private RoundBenchmark() {}

  public static Result run(JavaSparkContext spark, int floats, int partitions, int rounds, int depth) {
    JavaRDD<Integer> cached = spark.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
        .persist(StorageLevel.MEMORY_ONLY());
    cached.count();
    float[] params = new float[floats];
    double[] millis = new double[rounds];
    for (int r = -Math.min(20, rounds); r < rounds; r++) {
      long start = System.nanoTime();
      Broadcast<float[]> shared = spark.broadcast(params.clone());
      RoundResult result;
      try {
        result = cached.mapPartitions(partition -> {
          float[] value = shared.value();
          float[] vector = new float[value.length];
          vector[0] = value[0] + 1;
          return List.of(new RoundResult(vector, 0, 0, 1)).iterator();
        }).treeReduce(RoundResult::merge, depth);
      } finally {
        shared.destroy();
      }
      params[0] = result.vector[0];
      if (r >= 0) {
        millis[r] = (System.nanoTime() - start) / 1e6;
      }
    }
    cached.unpersist();
    Arrays.sort(millis);
    return new Result(floats, partitions, rounds, millis[rounds / 2], millis[rounds / 4], millis[3 * rounds / 4]);
  }
}
