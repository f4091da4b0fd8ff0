package io.turbovbi.mrf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SupportMrfTest {

  @Test
  void iidModeGivesPiEqualLambdaWhateverTheEvidence() {
    MrfParams params = MrfParams.of(MrfMode.IID, 0.2, 0.5);
    SupportMrf mrf = SupportMrf.create(SupportGrid.dense(4, 6), params);
    double[] llrB = new double[24];
    double[] pi = new double[24];
    MessagePassingReport report = mrf.update(ModuleBBruteForceTest.randomUnary(new Random(1), 24), llrB, pi);
    for (int w = 0; w < 24; w++) {
      assertEquals(params.rowLambda(), pi[w], 1e-15);
      assertEquals(Math.log(0.2 / 0.5), llrB[w], 1e-12);
    }
    assertEquals(0, report.sweeps());
    assertEquals(params.rowLambda(), mrf.zeroEvidenceMarginal());
  }

  @Test
  void warmStartReachesTheSameFixedPointInFewerSweeps() {
    MrfParams params = clustered(BpSchedule.FLOODING, true);
    SupportGrid grid = SupportGrid.dense(30, 40);
    Random random = new Random(2);
    double[] first = ModuleBBruteForceTest.randomUnary(random, grid.size());
    double[] second = first.clone();
    for (int w = 0; w < second.length; w++) {
      second[w] += 0.1 * random.nextGaussian();
    }
    SupportMrf warm = SupportMrf.create(grid, params);
    warm.update(first, new double[grid.size()], new double[grid.size()]);
    double[] warmLlrB = new double[grid.size()];
    MessagePassingReport warmReport = warm.update(second, warmLlrB, new double[grid.size()]);

    SupportMrf cold = SupportMrf.create(grid, params);
    double[] coldLlrB = new double[grid.size()];
    MessagePassingReport coldReport = cold.update(second, coldLlrB, new double[grid.size()]);

    assertTrue(warmReport.converged() && coldReport.converged());
    assertTrue(warmReport.sweeps() < coldReport.sweeps(),
        "warm " + warmReport.sweeps() + " sweeps, cold " + coldReport.sweeps());
    assertArrayEquals(coldLlrB, warmLlrB, 1e-7);
  }

  @Test
  void sequentialScheduleReachesTheFloodingFixedPointInFewerSweeps() {
    // weak coupling, where the BP fixed point is unique and both schedules calibrate h0 = ln(p10 / p01)
    SupportGrid grid = SupportGrid.dense(40, 60);
    double[] llrA = ModuleBBruteForceTest.randomUnary(new Random(6), grid.size());
    double[] flooding = new double[grid.size()];
    double[] sequential = new double[grid.size()];
    MrfParams floodingParams = new MrfParams(MrfMode.GRID, 0.2, 0.5, 0.2, 0.5, 0.5, BpSchedule.FLOODING, 5000,
        1e-10, true);
    MrfParams sequentialParams = new MrfParams(MrfMode.GRID, 0.2, 0.5, 0.2, 0.5, 0.5, BpSchedule.SEQUENTIAL,
        5000, 1e-10, true);
    MessagePassingReport floodingReport = SupportMrf.create(grid, floodingParams)
        .update(llrA, flooding, new double[grid.size()]);
    MessagePassingReport sequentialReport = SupportMrf.create(grid, sequentialParams)
        .update(llrA, sequential, new double[grid.size()]);
    assertTrue(floodingReport.converged() && sequentialReport.converged());
    assertTrue(sequentialReport.sweeps() < floodingReport.sweeps(),
        "sequential " + sequentialReport.sweeps() + " sweeps, flooding " + floodingReport.sweeps());
    assertArrayEquals(flooding, sequential, 1e-8);
  }

  @Test
  void withoutWarmStartEveryCallStartsCold() {
    MrfParams params = clustered(BpSchedule.FLOODING, false);
    SupportGrid grid = SupportGrid.dense(10, 10);
    double[] llrA = ModuleBBruteForceTest.randomUnary(new Random(3), grid.size());
    SupportMrf mrf = SupportMrf.create(grid, params);
    int first = mrf.update(llrA, new double[100], new double[100]).sweeps();
    int second = mrf.update(llrA, new double[100], new double[100]).sweeps();
    assertEquals(first, second);
  }

  @Test
  void restoredMessagesContinueFromTheCheckpoint() {
    MrfParams params = clustered(BpSchedule.FLOODING, true);
    SupportGrid grid = SupportGrid.dense(12, 9);
    double[] llrA = ModuleBBruteForceTest.randomUnary(new Random(4), grid.size());
    SupportMrf original = SupportMrf.create(grid, params);
    double[] expected = new double[grid.size()];
    original.update(llrA, expected, new double[grid.size()]);

    SupportMrf resumed = SupportMrf.create(grid, params);
    resumed.restoreMessages(original.messageLogOdds());
    double[] llrB = new double[grid.size()];
    MessagePassingReport report = resumed.update(llrA, llrB, new double[grid.size()]);
    assertTrue(report.sweeps() <= 2, "sweeps after restore " + report.sweeps());
    assertArrayEquals(expected, llrB, 1e-8);
  }

  @Test
  void convGridTakesAndReturnsArraysInWeightOrder() {
    int cout = 2;
    int cin = 3;
    int k = 2;
    SupportGrid conv = SupportGrid.conv(cout, cin, k);
    SupportGrid dense = SupportGrid.dense(conv.rows(), conv.cols());
    MrfParams params = MrfParams.of(MrfMode.ROWS, 0.1, 0.3);
    double[] llrByWeight = ModuleBBruteForceTest.randomUnary(new Random(5), conv.size());
    double[] llrByNode = new double[conv.size()];
    for (int w = 0; w < conv.size(); w++) {
      llrByNode[conv.nodeOf(w)] = llrByWeight[w];
    }
    double[] convPi = new double[conv.size()];
    SupportMrf.create(conv, params).update(llrByWeight, new double[conv.size()], convPi);
    double[] densePi = new double[conv.size()];
    SupportMrf.create(dense, params).update(llrByNode, new double[conv.size()], densePi);
    for (int w = 0; w < conv.size(); w++) {
      assertEquals(densePi[conv.nodeOf(w)], convPi[w], 1e-15);
    }
  }

  @Test
  void extremeUnaryInputsGiveFiniteClippedOutputsInEveryMode() {
    double[] llrA = {30, -30, 1e300, -1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 31, -31,
      Double.MAX_VALUE, -Double.MAX_VALUE, 5};
    List<LayerGeometry> layers = List.of(LayerGeometry.denseOnImage(3, 1, 2, 2), LayerGeometry.dense(2, 3));
    for (MrfMode mode : MrfMode.values()) {
      MrfParams params = MrfParams.of(mode, 1e-9, 0.5);
      SupportPrior prior = SupportPrior.create(layers, List.of(params, params));
      double[][] llrB = {new double[12], new double[6]};
      double[][] pi = {new double[12], new double[6]};
      prior.update(new double[][] {llrA, java.util.Arrays.copyOf(llrA, 6)}, llrB, pi);
      for (int k = 0; k < 2; k++) {
        for (int w = 0; w < llrB[k].length; w++) {
          assertTrue(Math.abs(llrB[k][w]) <= LogOdds.CLIP, mode + " LLR_B " + llrB[k][w]);
          assertTrue(pi[k][w] >= 0 && pi[k][w] <= 1, mode + " pi " + pi[k][w]);
        }
      }
    }
  }

  @Test
  void nanEvidenceIsRejectedWithTheWeightIndex() {
    SupportMrf mrf = SupportMrf.create(SupportGrid.dense(2, 2), MrfParams.of(MrfMode.ROWS, 0.1, 0.3));
    double[] llrA = {0, 0, Double.NaN, 0};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mrf.update(llrA, new double[4], new double[4]));
    assertEquals("LLR_A is NaN at weight 2 of dense 2x2", e.getMessage());
  }

  @Test
  void parametersOutsideTheirRangeAreRejectedAtConstruction() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MrfParams.of(MrfMode.GRID, 1.5, 0.2));
    assertEquals("rowP01 must be in (0, 1), got 1.5", e.getMessage());
    assertThrows(IllegalArgumentException.class,
      () -> new MrfParams(MrfMode.GRID, .1, .2, .1, 0, .5, BpSchedule.FLOODING, 10, 1e-4, true));
    e = assertThrows(IllegalArgumentException.class,
      () -> new MrfParams(MrfMode.GRID, .1, .2, .1, .2, 1, BpSchedule.FLOODING, 10, 1e-4, true));
    assertEquals("damping must be in [0, 1), got 1.0", e.getMessage());
    assertEquals(BpSchedule.SEQUENTIAL, BpSchedule.of("sequential"));
    assertEquals(MrfMode.ROWS, MrfMode.of(" Rows"));
    assertEquals(1.0 / 3, MrfParams.of(MrfMode.GRID, .1, .2).rowLambda(), 1e-15);
  }

  @Test
  void benchmarkCountsTwoMessagesPerEdgePerSweep() {
    BeliefPropagationBenchmark.Result result =
        BeliefPropagationBenchmark.run(SupportGrid.conv(5, 2, 5), BpSchedule.SEQUENTIAL, 3, 1);
    assertEquals(BpSchedule.SEQUENTIAL, result.schedule());
    assertEquals("conv 5x2x5x5", result.grid());
    assertEquals(25, result.rows());
    assertEquals(10, result.cols());
    assertEquals(3, result.sweeps());
    assertEquals(2.0 * (25 * 9 + 24 * 10) * 3 / result.seconds(), result.edgeMessagesPerSecond(), 1e-6);
  }

  /** Clustered chains (p01 = .1, p10 = .4), damping 0.5, run to a 1e-9 tolerance. */
  private static MrfParams clustered(BpSchedule schedule, boolean warmStart) {
    return new MrfParams(MrfMode.GRID, 0.1, 0.4, 0.1, 0.4, 0.5, schedule, 5000, 1e-9, warmStart);
  }
}
