package io.turbovbi.mrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DESIGN 1, coupling rule: the critical coupling check and the closed-form node field of grid mode. */
class CouplingTest {

  /** (p01, p10) pairs with (1-p01)(1-p10)/(p01 p10) of 1.8, 2.33, 2.67 and 3.45. */
  private static final double[][] SUBCRITICAL = {{0.25, 0.625}, {0.3, 0.5}, {0.2, 0.6}, {0.35, 0.35}};

  @Test
  void couplingOfTheShippedChainsIsExactlyCriticalAndTheNewDefaultsAreBelow() {
    assertEquals(4.0, MrfParams.coupling(0.2, 0.5), 1e-12);
    assertEquals(1.8, MrfParams.coupling(0.25, 0.625), 1e-12);
    assertNotNull(MrfParams.of(MrfMode.GRID, 0.2, 0.5).supercriticalReason());
    assertNotNull(MrfParams.of(MrfMode.GRAPH, 0.03, 0.22).supercriticalReason());
    assertNull(MrfParams.of(MrfMode.GRID, 0.25, 0.625).supercriticalReason());
    assertNull(MrfParams.of(MrfMode.GRAPH, 0.25, 0.625).supercriticalReason());
  }

  @Test
  void chainsAndIidHaveNoTwoDimensionalGridToCheck() {
    assertNull(MrfParams.of(MrfMode.ROWS, 0.03, 0.22).supercriticalReason());
    assertNull(MrfParams.of(MrfMode.IID, 0.03, 0.22).supercriticalReason());
  }

  @Test
  void aCriticalColumnAloneIsEnoughToRefuseAndTheReasonSaysWhy() {
    MrfParams params = new MrfParams(MrfMode.GRID, 0.25, 0.625, 0.1, 0.25, 0.5, BpSchedule.FLOODING, 100, 1e-4,
        true);
    String reason = params.supercriticalReason();
    assertNotNull(reason);
    assertTrue(reason.contains("critical coupling") && reason.contains("columns 27.000"), reason);
  }

  @Test
  void bisectionOnTheZeroEvidenceMarginalFindsTheClosedFormFieldBelowTheCriticalCoupling() {
    for (double[] p : SUBCRITICAL) {
      MrfParams params = new MrfParams(MrfMode.GRID, p[0], p[1], p[0], p[1], 0.5, BpSchedule.FLOODING, 5000, 1e-10,
          true);
      FieldCalibration bisected = FieldCalibrator.calibrate(24, 24, params);
      assertEquals(params.closedFormField(), bisected.h0(), 1e-5, "p01 " + p[0] + ", p10 " + p[1]);
      assertEquals(params.rowLambda(), bisected.interiorMarginal(), 1e-6);
    }
  }

  @Test
  void closedFormFieldGivesLambdaAtEveryNodeWithoutEvidence() {
    for (double[] p : SUBCRITICAL) {
      MrfParams params = new MrfParams(MrfMode.GRID, p[0], p[1], p[0], p[1], 0.5, BpSchedule.FLOODING, 5000, 1e-12,
          true);
      SupportMrf mrf = SupportMrf.create(SupportGrid.dense(15, 21), params);
      double[] llrB = new double[15 * 21];
      double[] pi = new double[15 * 21];
      mrf.update(new double[15 * 21], llrB, pi);
      assertEquals(params.rowLambda(), mrf.zeroEvidenceMarginal(), 1e-15);
      for (int node = 0; node < pi.length; node++) {
        assertEquals(params.rowLambda(), pi[node], 1e-9, "node " + node);
      }
    }
  }
}
