package io.turbovbi.mrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SupportGridTest {

  private static final int COUT = 3;
  private static final int CIN = 4;
  private static final int K = 5;

  @Test
  void denseGridRowIsTheIncomingWeightsOfOneNeuron() {
    SupportGrid grid = SupportGrid.dense(3, 7);
    assertEquals(3, grid.rows());
    assertEquals(7, grid.cols());
    int weight = 2 * 7 + 5;
    assertEquals(weight, grid.nodeOf(weight));
    assertEquals(weight, grid.weightOf(weight));
    assertEquals(2L * (3 * 6 + 2 * 7), grid.directedMessagesPerSweep());
  }

  @Test
  void convGridPlacesKernelTilesAtRowOkPlusKyAndColumnCkPlusKx() {
    SupportGrid grid = SupportGrid.conv(COUT, CIN, K);
    assertEquals(COUT * K, grid.rows());
    assertEquals(CIN * K, grid.cols());
    for (int w = 0; w < grid.size(); w++) {
      assertEquals(w, grid.weightOf(grid.nodeOf(w)));
      int node = grid.nodeOf(w);
      int[] ocyx = kernelIndex(w);
      assertEquals(ocyx[0] * K + ocyx[2], node / grid.cols());
      assertEquals(ocyx[1] * K + ocyx[3], node % grid.cols());
    }
  }

  @Test
  void convGridNeighboursAreSpatialNeighboursInsideAKernel() {
    SupportGrid grid = SupportGrid.conv(COUT, CIN, K);
    int w = weight(1, 2, 3, 2);
    assertEquals(weight(1, 2, 3, 3), rightNeighbour(grid, w));
    assertEquals(weight(1, 2, 4, 2), lowerNeighbour(grid, w));
  }

  @Test
  void acrossATileBorderTheNeighbourIsTheSameKernelRowOrColumnOfTheNextChannel() {
    SupportGrid grid = SupportGrid.conv(COUT, CIN, K);
    // right border of the kernel (o=1, c=2): next input channel, same ky, kx back to 0
    assertEquals(weight(1, 3, 2, 0), rightNeighbour(grid, weight(1, 2, 2, K - 1)));
    // lower border: next output channel, same input channel and kx, ky back to 0
    assertEquals(weight(2, 2, 0, 3), lowerNeighbour(grid, weight(1, 2, K - 1, 3)));
  }

  @Test
  void invalidShapesAreRejectedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SupportGrid.conv(2, 0, 3));
    assertEquals("inChannels must be at least 1, got 0", e.getMessage());
  }

  private static int rightNeighbour(SupportGrid grid, int weight) {
    return grid.weightOf(grid.nodeOf(weight) + 1);
  }

  private static int lowerNeighbour(SupportGrid grid, int weight) {
    return grid.weightOf(grid.nodeOf(weight) + grid.cols());
  }

  /** Flat index of kernel[o][c][ky][kx] in [Cout][Cin][k][k] row-major order. */
  private static int weight(int o, int c, int ky, int kx) {
    return ((o * CIN + c) * K + ky) * K + kx;
  }

  private static int[] kernelIndex(int weight) {
    int kx = weight % K;
    int ky = weight / K % K;
    int c = weight / (K * K) % CIN;
    int o = weight / (K * K * CIN);
    return new int[] {o, c, ky, kx};
  }
}
