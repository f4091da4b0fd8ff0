package io.turbovbi.mrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Module B's marginals against exact enumeration of the model of DESIGN 1 on small grids. */
class ModuleBBruteForceTest {

  private static final int LOOPY_CASES = 200;

  @Test
  void rowsModeMatchesBruteForceOfTheRowsOnlyModelOnChainsUpToTwelveNodes() {
    Random random = new Random(11);
    for (int trial = 0; trial < 60; trial++) {
      int rows = 1 + random.nextInt(3);
      int cols = 1 + random.nextInt(12 / rows);
      MrfParams params = randomParams(random, MrfMode.ROWS);
      double[] unary = randomUnary(random, rows * cols);
      double[] belief = beliefs(SupportGrid.dense(rows, cols), params, unary);
      double[] exact = BruteForce.marginals(rows, cols, params.rowP01(), params.rowP10(), params.colP01(),
          params.colP10(), false, 0.0, unary);
      for (int i = 0; i < exact.length; i++) {
        assertEquals(exact[i], belief[i], 1e-12, "trial " + trial + " node " + i);
      }
    }
  }

  @Test
  void gridModeOnASingleRowIsATreeAndLoopyBpIsExactWithEitherSchedule() {
    Random random = new Random(12);
    for (int trial = 0; trial < 30; trial++) {
      int cols = 2 + random.nextInt(11);
      BpSchedule schedule = BpSchedule.values()[trial % 2];
      MrfParams params = tight(randomParams(random, MrfMode.GRID), schedule);
      double h0 = FieldCalibrator.calibrate(1, cols, params).h0();
      double[] unary = randomUnary(random, cols);
      double[] belief = beliefs(SupportGrid.dense(1, cols), params, unary);
      double[] exact = BruteForce.marginals(1, cols, params.rowP01(), params.rowP10(), params.colP01(),
          params.colP10(), true, h0, unary);
      for (int i = 0; i < cols; i++) {
        assertEquals(exact[i], belief[i], 1e-9, schedule + " trial " + trial + " node " + i);
      }
    }
  }

  /**
   * Loopy BP is approximate on grids with cycles. Observed over 200 random cases (grids 2x2 to 3x4, p01 and p10
   * uniform in (0.02, 0.5), unary log-odds N(0, 2^2), calibrated h0, damping 0.5, flooding): median absolute
   * marginal error 0.0074, 90th percentile 0.064, maximum 0.50 (strong coupling, where h0 sits at the jump of the
   * bistable zero-evidence marginal); all 200 converged to 1e-12 within 5000 sweeps. Bounds sit slightly above.
   */
  @Test
  void floodingLoopyBeliefIsUnaryPlusExtrinsicAndCloseToBruteForceOnGridsUpToThreeByFour() {
    assertErrorDistribution(BpSchedule.FLOODING, 0.01, 0.08, 0.6);
  }

  /**
   * As above with the sequential schedule, same cases: median 0.0074, 90th percentile 0.064, maximum 0.48 (the
   * schedules reach the same fixed points except in the strongly coupled cases, where h0 and the fixed point reached
   * depend on the schedule); all converged.
   */
  @Test
  void sequentialLoopyBeliefIsUnaryPlusExtrinsicAndCloseToBruteForceOnGridsUpToThreeByFour() {
    assertErrorDistribution(BpSchedule.SEQUENTIAL, 0.01, 0.08, 0.6);
  }

  /** Largest absolute marginal error of each of LOOPY_CASES random grids, belief = sigmoid(LLR_A + LLR_B). */
  private static void assertErrorDistribution(BpSchedule schedule, double median, double p90, double max) {
    Random random = new Random(13);
    double[] errors = new double[LOOPY_CASES];
    int notConverged = 0;
    for (int trial = 0; trial < LOOPY_CASES; trial++) {
      int rows = 2 + random.nextInt(2);
      int cols = 2 + random.nextInt(3);
      MrfParams params = tight(randomParams(random, MrfMode.GRID), schedule);
      double h0 = FieldCalibrator.calibrate(rows, cols, params).h0();
      double[] unary = randomUnary(random, rows * cols);
      SupportMrf mrf = SupportMrf.create(SupportGrid.dense(rows, cols), params);
      double[] llrB = new double[unary.length];
      double[] pi = new double[unary.length];
      if (!mrf.update(unary, llrB, pi).converged()) {
        notConverged++;
      }
      double[] exact = BruteForce.marginals(rows, cols, params.rowP01(), params.rowP10(), params.colP01(),
          params.colP10(), true, h0, unary);
      for (int i = 0; i < exact.length; i++) {
        double belief = LogOdds.sigmoid(unary[i] + llrB[i]);
        errors[trial] = Math.max(errors[trial], Math.abs(belief - exact[i]));
      }
    }
    Arrays.sort(errors);
    assertEquals(0, notConverged, "cases that did not converge");
    assertTrue(errors[LOOPY_CASES / 2] < median, "median error " + errors[LOOPY_CASES / 2]);
    assertTrue(errors[LOOPY_CASES * 9 / 10] < p90, "90th percentile error " + errors[LOOPY_CASES * 9 / 10]);
    assertTrue(errors[LOOPY_CASES - 1] < max, "largest error " + errors[LOOPY_CASES - 1]);
  }

  static double[] beliefs(SupportGrid grid, MrfParams params, double[] unary) {
    SupportMrf mrf = SupportMrf.create(grid, params);
    double[] llrB = new double[unary.length];
    double[] pi = new double[unary.length];
    mrf.update(unary, llrB, pi);
    double[] belief = new double[unary.length];
    for (int i = 0; i < unary.length; i++) {
      belief[i] = LogOdds.sigmoid(unary[i] + llrB[i]);
    }
    return belief;
  }

  static MrfParams randomParams(Random random, MrfMode mode) {
    return new MrfParams(mode, uniform(random), uniform(random), uniform(random), uniform(random),
        MrfParams.DEFAULT_DAMPING, BpSchedule.FLOODING, MrfParams.DEFAULT_MAX_SWEEPS,
        MrfParams.DEFAULT_TOLERANCE, true);
  }

  static MrfParams tight(MrfParams p, BpSchedule schedule) {
    return new MrfParams(p.mode(), p.rowP01(), p.rowP10(), p.colP01(), p.colP10(), p.damping(), schedule, 5000,
        1e-12, p.warmStart());
  }

  private static double uniform(Random random) {
    return 0.02 + 0.48 * random.nextDouble();
  }

  static double[] randomUnary(Random random, int n) {
    double[] unary = new double[n];
    for (int i = 0; i < n; i++) {
      unary[i] = 2.0 * random.nextGaussian();
    }
    return unary;
  }
}
