package io.turbovbi.mrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FieldCalibratorTest {

  @Test
  void calibratedFieldGivesTheTargetInteriorMarginalUnderWeakCoupling() {
    MrfParams params = MrfParams.of(MrfMode.GRID, 0.2, 0.5);
    FieldCalibration calibration = FieldCalibrator.calibrate(20, 20, params);
    assertEquals(params.rowLambda(), calibration.interiorMarginal(), 1e-5);
    // the chains' stationary messages are then a BP fixed point: h0 = ln(p10 / p01)
    assertEquals(Math.log(0.5 / 0.2), calibration.h0(), 1e-5);
  }

  @Test
  void zeroEvidenceGridModeGivesTheTargetShareInTheInterior() {
    MrfParams params = new MrfParams(MrfMode.GRID, 0.2, 0.5, 0.2, 0.5, 0.5, BpSchedule.FLOODING, 5000, 1e-10,
        true);
    SupportMrf mrf = SupportMrf.create(SupportGrid.dense(20, 20), params);
    double[] llrB = new double[400];
    double[] pi = new double[400];
    mrf.update(new double[400], llrB, pi);
    assertEquals(params.rowLambda(), pi[10 * 20 + 10], 1e-5);
    assertEquals(params.rowLambda(), mrf.zeroEvidenceMarginal(), 1e-5);
  }

  @Test
  void strongCouplingReproducesTheDesignFieldOnTwentyByTwenty() {
    FieldCalibration calibration = FieldCalibrator.calibrate(20, 20, MrfParams.of(MrfMode.GRID, 0.03, 0.22));
    // DESIGN 1 quotes h0 = +0.525 for p01 = .03, p10 = .22 on 20x20
    assertEquals(0.525, calibration.h0(), 0.01);
  }

  @Test
  void strongCouplingIsBistableSoTheFieldSitsAtTheJumpOfTheMarginal() {
    MrfParams params = MrfParams.of(MrfMode.GRID, 0.03, 0.22);
    FieldCalibration calibration = FieldCalibrator.calibrate(20, 20, params);
    double below = FieldCalibrator.interiorMarginal(20, 20, params, calibration.h0() - 0.01);
    double above = FieldCalibrator.interiorMarginal(20, 20, params, calibration.h0() + 0.01);
    assertTrue(below < 1e-3, "marginal just below the field " + below);
    assertTrue(above > 1 - 1e-3, "marginal just above the field " + above);
    assertTrue(calibration.interiorMarginal() < 1e-3, "reported marginal " + calibration.interiorMarginal());
  }

  @Test
  void largeGridsCalibrateOnABoundedProxyAndShareTheCachedResult() {
    MrfParams params = MrfParams.of(MrfMode.GRID, 0.2, 0.5);
    FieldCalibration large = FieldCalibrator.calibrate(800, 500, params);
    assertEquals(FieldCalibrator.PROXY_EDGE, large.proxyRows());
    assertEquals(FieldCalibrator.PROXY_EDGE, large.proxyCols());
    assertSame(large, FieldCalibrator.calibrate(300, 784, params));
    assertEquals(params.rowLambda(), large.interiorMarginal(), 1e-5);
  }
}
