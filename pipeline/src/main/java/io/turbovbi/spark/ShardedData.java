package io.turbovbi.spark;

import io.turbovbi.data.LabeledSamples;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Training data as an RDD of packed shards, one per partition, cached in executor memory once.
 *
 * <p>The shards travel as one broadcast and the RDD's partitions hold only their index, so that the tasks of every
 * round stay small (a parallelized collection would ship its data inside every task), and a lost executor's shards
 * are rebuilt from the broadcast.
 */
public final class ShardedData {
  private ShardedData() {}

  /**
   * Cuts the samples into {@code partitions} contiguous shards (sample i goes to shard floor(i * P / N)) and caches
   * them; the samples' indices in {@code data} are their global ids.
   */
  public static JavaRDD<Shard> of(JavaSparkContext spark, LabeledSamples data, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("need at least one partition, got " + partitions);
    }
    int n = data.size();
    int d = data.dim();
    Shard[] shards = new Shard[partitions];
    for (int p = 0; p < partitions; p++) {
      int from = (int) ((long) p * n / partitions);
      int to = (int) ((long) (p + 1) * n / partitions);
      int[] ids = new int[to - from];
      Arrays.setAll(ids, i -> from + i);
      shards[p] = new Shard(Arrays.copyOfRange(data.features(), from * d, to * d),
          Arrays.copyOfRange(data.labels(), from, to), ids);
    }
    Broadcast<Shard[]> shared = spark.broadcast(shards);
    List<Integer> indices = IntStream.range(0, partitions).boxed().toList();
    JavaRDD<Shard> rdd = spark.parallelize(indices, partitions).map(p -> shared.value()[p])
        .persist(StorageLevel.MEMORY_ONLY());
    rdd.count();
    return rdd;
  }
}
