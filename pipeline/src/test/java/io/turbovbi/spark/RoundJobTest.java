package io.turbovbi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The aggregation depth chosen from the partition count. */
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
}
