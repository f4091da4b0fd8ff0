package io.turbovbi.spark.train;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs the Spark job of one synchronisation round: every partition turns its shards into one {@link RoundResult},
 * and the results are summed.
 *
 * <p>With aggregation depth 1 the partition results come straight back to the driver ({@code runJob}) and are summed
 * there: a one-level tree. The task is a named class, not a lambda, because Spark's closure cleaner re-reads the
 * class files of every lambda it is given, on every job (measured: a trivial local job fell from about 14-28 ms to
 * about 10 ms). Deeper trees go through {@code treeReduce}, for many partitions. Depth 0 chooses the depth from
 * the partition count ({@link #depthFor}).
 */
final class RoundJob {
  /** A partition's share of a round. */
  interface PartitionTask extends Serializable {
    RoundResult apply(int partition, Iterator<Shard> shards);
  }

  private static final ClassTag<RoundResult> RESULT = ClassTag$.MODULE$.apply(RoundResult.class);
  /**
   * Results one node of the aggregation tree sums, at most. The driver receives and sums every result of a one-level
   * tree: a vector of the parameters' size per partition, which its single network link and core handle for a few
   * partitions but not for hundreds; above this many partitions, executors sum groups first.
   */
  static final int FAN_IN = 16;

  private RoundJob() {}

  /** The least depth at which no tree node sums more than {@link #FAN_IN} results: 1 up to 16 partitions, 2 up to 256. */
  static int depthFor(int partitions) {
    int depth = 1;
    for (long reach = FAN_IN; reach < partitions; reach *= FAN_IN) {
      depth++;
    }
    return depth;
  }

  static RoundResult run(JavaRDD<Shard> shards, PartitionTask task, int requestedDepth) {
    int depth = requestedDepth > 0 ? requestedDepth : depthFor(shards.getNumPartitions());
    if (depth > 1) {
      return shards.mapPartitionsWithIndex((partition, it) -> List.of(task.apply(partition, it)).iterator(), false)
          .treeReduce(RoundResult::merge, depth);
    }
    boolean failFirstAttempt = shards.context().getConf().getBoolean(FaultInjection.FAIL_FIRST_ATTEMPT, false);
    InOrderSum sum = new InOrderSum(shards.getNumPartitions());
    shards.context().runJob(shards.rdd(), new PartitionFunction(task, failFirstAttempt), sum, RESULT);
    return sum.total();
  }

  /**
   * Sums the partition results as they arrive, while later tasks still run, instead of holding them all until the
   * job ends (a vector of the parameters' size each); always in partition order, so that the floating-point sum,
   * and the trained model, do not depend on which task finished first. Spark calls it on one thread.
   */
  static final class InOrderSum extends AbstractFunction2<Object, RoundResult, BoxedUnit> {
    private final RoundResult[] waiting;
    private final RoundResult total = new RoundResult();
    private int next;

    InOrderSum(int partitions) {
      this.waiting = new RoundResult[partitions];
    }

    @Override
    public BoxedUnit apply(Object partition, RoundResult result) {
      waiting[(Integer) partition] = result;
      while (next < waiting.length && waiting[next] != null) {
        total.merge(waiting[next]);
        waiting[next++] = null;
      }
      return BoxedUnit.UNIT;
    }

    RoundResult total() {
      if (next != waiting.length) {
        long missing = IntStream.range(next, waiting.length).filter(i -> waiting[i] == null).count();
        throw new IllegalStateException("the round ended without the results of " + missing + " of "
            + waiting.length + " partitions");
      }
      return total;
    }
  }

  /** The task as the Scala function that {@code SparkContext.runJob} takes. */
  private static final class PartitionFunction
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<Shard>, RoundResult> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PartitionTask task;
    private final boolean failFirstAttempt;

    PartitionFunction(PartitionTask task, boolean failFirstAttempt) {
      this.task = task;
      this.failFirstAttempt = failFirstAttempt;
    }

    @Override
    public RoundResult apply(TaskContext context, scala.collection.Iterator<Shard> shards) {
      if (failFirstAttempt && context.attemptNumber() == 0) {
        throw FaultInjection.failure(context.partitionId());
      }
      return task.apply(context.partitionId(), CollectionConverters.asJava(shards));
    }
  }
}
