package io.turbovbi.spark.train;

import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.data.ImageShape;
import io.turbovbi.data.InvalidDataException;
import io.turbovbi.nn.GradientEngine;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * A data set held by the executors: an RDD of packed {@link Shard}s, one per partition, built where the rows were
 * read ({@link SampleSource}) and persisted (memory, then disk). A lost partition is rebuilt from the source by
 * lineage; the driver holds only the RDD's handle, the number of samples and what a sample looks like.
 */
public final class ShardedData {
  /** Rows of a score's evaluation passes, per engine call. */
  private static final int EVALUATION_BATCH = 256;

  private final JavaRDD<Shard> shards;
  private final long size;
  private final ImageShape shape;
  private final int numClasses;

  private ShardedData(JavaRDD<Shard> shards, long size, ImageShape shape, int numClasses) {
    this.shards = shards;
    this.size = size;
    this.shape = shape;
    this.numClasses = numClasses;
  }

  /**
   * Persists the shards and counts their samples (the Spark job that reads and checks every row).
   *
   * @throws InvalidDataException if a row fails a check, or if no shard holds a sample
   */
  static ShardedData persist(JavaRDD<Shard> shards, ImageShape shape, int numClasses, String source) {
    shards.persist(StorageLevel.MEMORY_AND_DISK());
    List<Integer> sizes;
    try {
      sizes = shards.map(Shard::size).collect();
    } catch (Exception e) {
      // A task's exception reaches the driver inside a SparkException, which Java does not see as thrown here.
      throw dataError(e);
    }
    long size = sizes.stream().mapToLong(Integer::longValue).sum();
    if (size == 0) {
      shards.unpersist(false);
      throw new InvalidDataException(source + ": the data set is empty (0 samples)");
    }
    return new ShardedData(shards, size, shape, numClasses);
  }

  /** The data error a failed Spark job carries (a task's exception comes wrapped), else the failure itself. */
  static RuntimeException dataError(Exception failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidDataException data) {
        return new InvalidDataException(data.getMessage(), failure);
      }
    }
    return failure instanceof RuntimeException unchecked ? unchecked
        : new IllegalStateException(failure.getMessage(), failure);
  }

  public JavaRDD<Shard> shards() {
    return shards;
  }

  /** Number of samples. */
  public long size() {
    return size;
  }

  public int partitions() {
    return shards.getNumPartitions();
  }

  public ImageShape shape() {
    return shape;
  }

  public int numClasses() {
    return numClasses;
  }

  /** Drops the persisted shards. */
  public void release() {
    shards.unpersist(false);
  }

  /** Mean loss and accuracy of a network on a data set, and on how many samples. */
  public record Score(double meanLoss, double accuracy, long samples) {}

  /**
   * Scores a network on these samples where they are: the parameters go out in a broadcast, every partition
   * evaluates its shard, and the sums come back.
   *
   * @param taskThreads engine threads inside each task
   * @param depth depth of the aggregation tree
   */
  public Score score(NetworkRecipe recipe, float[] params, int taskThreads, int depth) {
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(shards.context());
    Broadcast<float[]> shared = spark.broadcast(params.clone());
    RoundResult total;
    try {
      total = RoundJob.run(shards, new EvaluationTask(shared, recipe, taskThreads), depth);
    } finally {
      shared.destroy();
    }
    return new Score(total.lossSum / total.count, (double) total.correct / total.count, total.count);
  }

  /** Accuracy of a deterministic network (a mean network, masked or pruned) on these samples. */
  public double accuracy(MeanNetwork model, int taskThreads, int depth) {
    NetworkRecipe recipe = new NetworkRecipe(model.spec().toString(), shape.channels(), shape.height(),
        shape.width(), numClasses, false, 0);
    return score(recipe, model.params(), taskThreads, depth).accuracy();
  }

  /** A partition's part of a score: loss and correct predictions summed over its shard. */
  static final class EvaluationTask implements RoundJob.PartitionTask {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> shared;
    private final NetworkRecipe recipe;
    private final int threads;

    EvaluationTask(Broadcast<float[]> shared, NetworkRecipe recipe, int threads) {
      this.shared = shared;
      this.recipe = recipe;
      this.threads = threads;
    }

    @Override
    public RoundResult apply(int partition, Iterator<Shard> shards) {
      RoundResult total = new RoundResult();
      while (shards.hasNext()) {
        Shard shard = shards.next();
        if (shard.size() == 0) {
          continue;
        }
        GradientEngine engine = ExecutorEngines.borrow(recipe, threads, EVALUATION_BATCH);
        try {
          GradientEngine.BatchLoss loss = engine.evaluate(shared.value(), shard.features(), shard.labels(), 0,
              shard.size());
          total.merge(new RoundResult(null, loss.lossSum(), loss.correct(), loss.count()));
        } finally {
          ExecutorEngines.release(recipe, EVALUATION_BATCH, engine);
        }
      }
      return total;
    }
  }
}
