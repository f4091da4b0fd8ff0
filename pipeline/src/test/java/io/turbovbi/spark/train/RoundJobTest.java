package io.turbovbi.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The aggregation depth chosen from the partition count, and the sum of a one-level round. */
class RoundJobTest {
  @Test
  void noTreeNodeSumsMoreThanSixteenResults() {
    assertEquals(1, RoundJob.depthFor(1));
    assertEquals(1, RoundJob.depthFor(16));
    assertEquals(2, RoundJob.depthFor(17));
    assertEquals(2, RoundJob.depthFor(256));
    assertEquals(3, RoundJob.depthFor(257));
    for (int partitions = 1; partitions <= 5000; partitions++) {
      int depth = RoundJob.depthFor(partitions);
      // Spark's treeReduce sums ceil(P^(1/depth)) results per node; depth - 1 would need more than 16.
      assertEquals(true, Math.ceil(Math.pow(partitions, 1.0 / depth) - 1e-9) <= RoundJob.FAN_IN, "P=" + partitions);
      assertEquals(true, depth == 1 || Math.pow(RoundJob.FAN_IN, depth - 1) < partitions, "P=" + partitions);
    }
  }

  @Test
  void resultsArrivingInAnyOrderAreSummedInPartitionOrder() {
    // Float addition is not associative: 1e8 + 1 + (-1e8) is 0 in float, 1e8 + (-1e8) + 1 is 1.
    float[][] vectors = {{1e8f}, {1f}, {-1e8f}};
    float inOrder = (vectors[0][0] + vectors[1][0]) + vectors[2][0];
    for (int[] arrival : new int[][] {{0, 1, 2}, {2, 0, 1}, {1, 2, 0}, {2, 1, 0}}) {
      RoundJob.InOrderSum sum = new RoundJob.InOrderSum(3);
      for (int partition : arrival) {
        sum.apply(partition, new RoundResult(vectors[partition].clone(), partition, 1, 10));
      }
      RoundResult total = sum.total();
      assertArrayEquals(new float[] {inOrder}, total.vector);
      assertEquals(3.0, total.lossSum);
      assertEquals(3, total.correct);
      assertEquals(30, total.count);
    }
  }

  @Test
  void aRoundWithAMissingResultIsAnError() {
    RoundJob.InOrderSum sum = new RoundJob.InOrderSum(2);
    sum.apply(1, new RoundResult(new float[] {1f}, 0, 0, 1));
    String message = assertThrows(IllegalStateException.class, sum::total).getMessage();
    assertEquals("the round ended without the results of 1 of 2 partitions", message);
  }
}
