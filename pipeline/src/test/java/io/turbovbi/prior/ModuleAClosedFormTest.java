package io.turbovbi.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModuleAClosedFormTest {

  private static final GammaMixturePrior REGRESSION = new GammaMixturePrior(1, 1, 1, 1e-4);

  @Test
  void aWeightAtZeroHasEvidenceRatioSqrtOfTheRateRatio() {
    // E[w^2] = 0 and a = abar: Z_s = Gamma(a + 1/2) / (Gamma(a) sqrt(b_s)), so LLR = ln(bbar / b) / 2
    ModuleA moduleA = ModuleA.create(Factorisation.DEFAULT, REGRESSION, 1, 0.12);
    double[] llr = new double[1];
    moduleA.logLikelihoodRatio(new double[] {0}, llr);
    assertEquals(-Math.log(100), llr[0], 1e-13);
  }

  @Test
  void aWeightAtZeroHasPrecisionsThreeHalvesOverEachRate() {
    ModuleA moduleA = ModuleA.create(Factorisation.DEFAULT, REGRESSION, 1, 0.12);
    double[] rho = new double[1];
    moduleA.rhoStep(new double[] {0}, new double[] {0.25}, rho);
    assertEquals(0.25 * 1.5 + 0.75 * 1.5e4, rho[0], 1e-9);
  }

  @Test
  void meanFieldStartsAtThePriorMixturePrecisionOfTheFirstWStep() {
    GammaMixturePrior prior = new GammaMixturePrior(0.01, 1e-4, 1, 1e-5);
    MeanFieldModuleA moduleA = new MeanFieldModuleA(prior, 3, 0.2857);
    double expected = 0.2857 * 0.01 / 1e-4 + (1 - 0.2857) * 1 / 1e-5;
    assertEquals(expected, prior.mixturePrecision(0.2857), 1e-9);
    for (int n = 0; n < 3; n++) {
      assertEquals(expected, moduleA.shapes()[n] / moduleA.rates()[n], 1e-9 * expected);
    }
  }

  @Test
  void llrAndPitAreClippedAtThirtyAndStayFiniteForCertainPriors() {
    GammaMixturePrior prior = new GammaMixturePrior(1, 1, 1, 1e-30);
    ModuleA moduleA = ModuleA.create(Factorisation.COLLAPSED, prior, 3, 0.5);
    double[] llr = new double[3];
    moduleA.logLikelihoodRatio(new double[] {0, 1e3, 1e30}, llr);
    assertEquals(-30, llr[0]);
    assertEquals(30, llr[2]);
    double[] pit = new double[3];
    moduleA.sStep(new double[] {1, 0, 1}, llr, pit);
    for (double p : pit) {
      assertTrue(p > 0 && p < 1, "pit " + p);
    }
    assertEquals(1 / (1 + Math.exp(-30)), pit[2], 1e-15);
  }

  @Test
  void meanFieldStateRoundTripsThroughACheckpoint() {
    MeanFieldModuleA moduleA = new MeanFieldModuleA(REGRESSION, 2, 0.1);
    moduleA.rhoStep(new double[] {0.3, 2}, new double[] {0.4, 0.9}, new double[2]);
    MeanFieldModuleA resumed = new MeanFieldModuleA(REGRESSION, 2, 0.1);
    resumed.restore(moduleA.shapes(), moduleA.rates());
    double[] expected = new double[2];
    double[] actual = new double[2];
    moduleA.logLikelihoodRatio(new double[2], expected);
    resumed.logLikelihoodRatio(new double[2], actual);
    assertArrayEquals(expected, actual, 0.0);
  }

  @Test
  void secondMomentIsMuSquaredPlusSigmaSquaredInDouble() {
    double[] out = new double[2];
    ModuleA.secondMoment(new float[] {0.5f, -3f}, new float[] {0.25f, 1e-8f}, out);
    assertArrayEquals(new double[] {0.5, 9 + (double) 1e-8f}, out, 0.0);
  }

  @Test
  void invalidHyperparametersAndInputsAreRejectedWithClearMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GammaMixturePrior(1, 0, 1, 1e-4));
    assertEquals("b must be > 0 and finite, got 0.0", e.getMessage());
    ModuleA moduleA = ModuleA.create(Factorisation.of("Collapsed"), REGRESSION, 2, 0.1);
    e = assertThrows(IllegalArgumentException.class,
        () -> moduleA.logLikelihoodRatio(new double[] {0.1, -1}, new double[2]));
    assertEquals("E[w^2] must be finite and >= 0, got -1.0 at weight 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> moduleA.sStep(new double[] {0.5, 1.5}, new double[2], new double[2]));
    assertEquals("pi must be in [0, 1], got 1.5 at weight 1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Factorisation.of("vb"));
  }
}
