package io.turbovbi.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Module A's closed forms against numerical integration over rho of the model of DESIGN 1 (Gamma priors on rho,
 * N(w; 0, 1/rho) averaged over q(w) = N(mu, sigma^2), which contributes exp(ln rho / 2 - rho E[w^2] / 2) up to a
 * constant), for one weight. Normalisers and lnGamma are integrated too, so nothing here uses the closed forms.
 */
class ModuleAQuadratureTest {

  private static final GammaMixturePrior[] PRIORS = {
    new GammaMixturePrior(1, 1, 1, 1e-4),        // DESIGN 2, regression and collapsed LeNet values
    new GammaMixturePrior(0.01, 1e-4, 1, 1e-5),  // DESIGN 2, meanfield LeNet values
    new GammaMixturePrior(2.5, 0.3, 4, 0.02),
  };
  private static final double[] SECOND_MOMENTS = {0, 1e-6, 1e-3, 0.05, 0.7, 3};
  private static final double RELATIVE = 1e-8;

  @Test
  void collapsedLlrIsTheLogRatioOfTheTwoStatesEvidenceWithRhoIntegratedOut() {
    for (GammaMixturePrior prior : PRIORS) {
      ModuleA moduleA = new CollapsedModuleA(prior, SECOND_MOMENTS.length);
      double[] llr = new double[SECOND_MOMENTS.length];
      moduleA.logLikelihoodRatio(SECOND_MOMENTS, llr);
      for (int n = 0; n < SECOND_MOMENTS.length; n++) {
        double e = SECOND_MOMENTS[n];
        double expected = logEvidence(prior.a(), prior.b(), e) - logEvidence(prior.abar(), prior.bbar(), e);
        assertClose(clipped(expected), llr[n], prior + " E[w^2] " + e);
      }
    }
  }

  @Test
  void collapsedRhoStepIsThePosteriorMeanOfRhoMixedOverTheSupport() {
    double[] pit = {0, 0.3, 1, 0.999, 0.5, 1e-3};
    for (GammaMixturePrior prior : PRIORS) {
      ModuleA moduleA = new CollapsedModuleA(prior, SECOND_MOMENTS.length);
      double[] expectedRho = new double[SECOND_MOMENTS.length];
      moduleA.rhoStep(SECOND_MOMENTS, pit, expectedRho);
      for (int n = 0; n < SECOND_MOMENTS.length; n++) {
        double e = SECOND_MOMENTS[n];
        double active = RhoQuadrature.mean(posteriorGivenState(prior.a(), prior.b(), e), Math::exp);
        double inactive = RhoQuadrature.mean(posteriorGivenState(prior.abar(), prior.bbar(), e), Math::exp);
        assertClose(pit[n] * active + (1 - pit[n]) * inactive, expectedRho[n], prior + " E[w^2] " + e);
      }
    }
  }

  @Test
  void collapsedSStepIsBayesRuleOnTheTwoStateModel() {
    GammaMixturePrior prior = PRIORS[0];
    double[] pi = {0.12, 0.5, 0.9, 1e-4, 0.3, 0.7};
    ModuleA moduleA = new CollapsedModuleA(prior, SECOND_MOMENTS.length);
    double[] llr = new double[SECOND_MOMENTS.length];
    double[] pit = new double[SECOND_MOMENTS.length];
    moduleA.logLikelihoodRatio(SECOND_MOMENTS, llr);
    moduleA.sStep(pi, llr, pit);
    for (int n = 0; n < SECOND_MOMENTS.length; n++) {
      double z1 = Math.exp(logEvidence(prior.a(), prior.b(), SECOND_MOMENTS[n]));
      double z0 = Math.exp(logEvidence(prior.abar(), prior.bbar(), SECOND_MOMENTS[n]));
      assertEquals(pi[n] * z1 / (pi[n] * z1 + (1 - pi[n]) * z0), pit[n], 1e-10, "E[w^2] " + SECOND_MOMENTS[n]);
    }
  }

  @Test
  void meanFieldLlrIsTheExpectedLogPriorRatioUnderQRho() {
    double[] pit = {0.2, 0.9, 0.5, 0.01, 1, 0};
    for (GammaMixturePrior prior : PRIORS) {
      MeanFieldModuleA moduleA = new MeanFieldModuleA(prior, SECOND_MOMENTS.length, 0.1);
      moduleA.rhoStep(SECOND_MOMENTS, pit, new double[SECOND_MOMENTS.length]);
      double[] llr = new double[SECOND_MOMENTS.length];
      moduleA.logLikelihoodRatio(SECOND_MOMENTS, llr);
      double[] at = moduleA.shapes();
      double[] bt = moduleA.rates();
      for (int n = 0; n < SECOND_MOMENTS.length; n++) {
        DoubleUnaryOperator q = gammaKernel(at[n], bt[n]);
        double lnC = RhoQuadrature.mean(q, logGammaDensity(prior.a(), prior.b()));
        double lnCbar = RhoQuadrature.mean(q, logGammaDensity(prior.abar(), prior.bbar()));
        assertClose(clipped(lnC - lnCbar), llr[n], prior + " at " + at[n] + " bt " + bt[n]);
      }
    }
  }

  @Test
  void meanFieldRhoStepGivesTheMeanOfTheOptimalQRho() {
    double[] pit = {0.2, 0.9, 0.5, 0.01, 1, 0};
    for (GammaMixturePrior prior : PRIORS) {
      MeanFieldModuleA moduleA = new MeanFieldModuleA(prior, SECOND_MOMENTS.length, 0.1);
      double[] expectedRho = new double[SECOND_MOMENTS.length];
      moduleA.rhoStep(SECOND_MOMENTS, pit, expectedRho);
      for (int n = 0; n < SECOND_MOMENTS.length; n++) {
        // ln q*(rho) = E_q(s)[ln p(rho | s)] + E_q(w)[ln N(w; 0, 1/rho)] + const
        double p = pit[n];
        DoubleUnaryOperator active = gammaKernel(prior.a(), prior.b());
        DoubleUnaryOperator inactive = gammaKernel(prior.abar(), prior.bbar());
        DoubleUnaryOperator gauss = gaussianTerm(SECOND_MOMENTS[n]);
        DoubleUnaryOperator optimal = t -> p * active.applyAsDouble(t) + (1 - p) * inactive.applyAsDouble(t)
            + gauss.applyAsDouble(t);
        assertClose(RhoQuadrature.mean(optimal, Math::exp), expectedRho[n], prior + " pit " + p);
      }
    }
  }

  @Test
  void meanFieldSStepIsBayesRuleWithTheGeometricMeanPriorsAsEvidence() {
    GammaMixturePrior prior = PRIORS[1];
    double[] pi = {0.12, 0.5, 0.9, 1e-4, 0.3, 0.7};
    double[] pitBefore = {0.2, 0.9, 0.5, 0.01, 1, 0};
    MeanFieldModuleA moduleA = new MeanFieldModuleA(prior, SECOND_MOMENTS.length, 0.1);
    moduleA.rhoStep(SECOND_MOMENTS, pitBefore, new double[SECOND_MOMENTS.length]);
    double[] llr = new double[SECOND_MOMENTS.length];
    double[] pit = new double[SECOND_MOMENTS.length];
    moduleA.logLikelihoodRatio(SECOND_MOMENTS, llr);
    moduleA.sStep(pi, llr, pit);
    double[] at = moduleA.shapes();
    double[] bt = moduleA.rates();
    for (int n = 0; n < SECOND_MOMENTS.length; n++) {
      DoubleUnaryOperator q = gammaKernel(at[n], bt[n]);
      double c = Math.exp(RhoQuadrature.mean(q, logGammaDensity(prior.a(), prior.b())));
      double cbar = Math.exp(RhoQuadrature.mean(q, logGammaDensity(prior.abar(), prior.bbar())));
      assertEquals(pi[n] * c / (pi[n] * c + (1 - pi[n]) * cbar), pit[n], 1e-10, "weight " + n);
    }
  }

  /** ln of the integral over rho of Ga(rho; shape, rate) exp(ln rho / 2 - rho E / 2). */
  private static double logEvidence(double shape, double rate, double secondMoment) {
    return RhoQuadrature.logIntegral(posteriorGivenState(shape, rate, secondMoment))
        - RhoQuadrature.logIntegral(gammaKernel(shape, rate));
  }

  /** ln of the unnormalised q(rho | s): Gamma prior kernel plus the averaged Gaussian term. */
  private static DoubleUnaryOperator posteriorGivenState(double shape, double rate, double secondMoment) {
    DoubleUnaryOperator prior = gammaKernel(shape, rate);
    DoubleUnaryOperator gauss = gaussianTerm(secondMoment);
    return t -> prior.applyAsDouble(t) + gauss.applyAsDouble(t);
  }

  /** ln Ga(rho; shape, rate) up to its normaliser, as a function of t = ln rho. */
  private static DoubleUnaryOperator gammaKernel(double shape, double rate) {
    return t -> (shape - 1) * t - rate * Math.exp(t);
  }

  /** ln Ga(rho; shape, rate) with the normaliser found by quadrature, as a function of t = ln rho. */
  private static DoubleUnaryOperator logGammaDensity(double shape, double rate) {
    DoubleUnaryOperator kernel = gammaKernel(shape, rate);
    double logNormaliser = RhoQuadrature.logIntegral(kernel);
    return t -> kernel.applyAsDouble(t) - logNormaliser;
  }

  /** E_q(w)[ln N(w; 0, 1/rho)] up to -ln(2 pi)/2: ln rho / 2 - rho E[w^2] / 2. */
  private static DoubleUnaryOperator gaussianTerm(double secondMoment) {
    return t -> 0.5 * t - 0.5 * secondMoment * Math.exp(t);
  }

  /** LLR_A is clipped to +-30 (DESIGN, numerics). */
  private static double clipped(double llr) {
    return Math.max(-30, Math.min(30, llr));
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, RELATIVE * Math.max(1.0, Math.abs(expected)), what);
  }
}
