package io.turbovbi.spark.train;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * The fixed cost of one synchronisation round with trivial compute: broadcast N floats, let every partition
 * return an N-float vector, sum them, destroy the broadcast, exactly as {@link SparkWStep} does. As many untimed
 * rounds as timed ones come first, so that the JIT has compiled Spark's scheduling paths.
 */
public final class RoundBenchmark {
  /** Median and quartiles of the round time, in milliseconds. */
  public record Result(int floats, int partitions, int rounds, double medianMs, double lowerQuartileMs,
                       double upperQuartileMs) {}

  private RoundBenchmark() {}

  /** Reads the broadcast and returns a vector of its size: the traffic of a round without its compute. */
  private static final class TrivialTask implements RoundJob.PartitionTask {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> shared;

    TrivialTask(Broadcast<float[]> shared) {
      this.shared = shared;
    }

    @Override
    public RoundResult apply(int partition, Iterator<Shard> shards) {
      float[] value = shared.value();
      float[] vector = new float[value.length];
      vector[0] = value[0] + 1;
      return new RoundResult(vector, 0, 0, 1);
    }
  }

  public static Result run(JavaSparkContext spark, int floats, int partitions, int rounds, int depth) {
    JavaRDD<Shard> cached = spark.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
        .map(p -> new Shard(new float[0], new int[0], new long[0])).persist(StorageLevel.MEMORY_ONLY());
    cached.count();
    float[] params = new float[floats];
    double[] millis = new double[rounds];
    for (int r = -rounds; r < rounds; r++) {
      long start = System.nanoTime();
      Broadcast<float[]> shared = spark.broadcast(params.clone());
      RoundResult result;
      try {
        result = RoundJob.run(cached, new TrivialTask(shared), depth);
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
