package io.turbovbi.prior;

import org.apache.commons.math3.special.Gamma;

/**
 * Module A in the collapsed (structured mean-field) factorisation q(w) q(s) q(rho | s) of DESIGN 2: given the
 * support state, rho is integrated out in closed form, so each state's evidence is a Student-t and the module
 * keeps no q(rho) state. The paper's Module A (Xia, Tsang and Lau, "Structured Bayesian Compression for Deep
 * Neural Networks Based on the Turbo-VBI Approach", IEEE TSP 71 (2023), arXiv 2302.10483) with this
 * factorisation choice.
 */
public final class CollapsedModuleA implements ModuleA {

  private final GammaMixturePrior prior;
  private final int size;
  /** a_s ln b_s - lnGamma(a_s) + lnGamma(a_s + 1/2) for s = 1 and s = 0. */
  private final double logZConstantActive;
  private final double logZConstantInactive;

  public CollapsedModuleA(GammaMixturePrior prior, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    this.prior = prior;
    this.size = size;
    this.logZConstantActive = logZConstant(prior.a(), prior.b());
    this.logZConstantInactive = logZConstant(prior.abar(), prior.bbar());
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void logLikelihoodRatio(double[] secondMoment, double[] llrOut) {
    ModuleAInputs.requireSecondMoments(secondMoment, size);
    ModuleAInputs.requireLength("llrOut", llrOut.length, size);
    double activeShape = prior.a() + 0.5;
    double inactiveShape = prior.abar() + 0.5;
    for (int n = 0; n < size; n++) {
      double half = 0.5 * secondMoment[n];
      // DESIGN 2, collapsed LLR: ln Z_1 - ln Z_0,
      // ln Z_s = a_s ln b_s - lnGamma(a_s) + lnGamma(a_s + 1/2) - (a_s + 1/2) ln(b_s + E[w^2]/2)
      double logZ1 = logZConstantActive - activeShape * Math.log(prior.b() + half);
      double logZ0 = logZConstantInactive - inactiveShape * Math.log(prior.bbar() + half);
      llrOut[n] = LogOdds.clip(logZ1 - logZ0);
    }
  }

  @Override
  public void rhoStep(double[] secondMoment, double[] pit, double[] expectedPrecisionOut) {
    ModuleAInputs.requireSecondMoments(secondMoment, size);
    ModuleAInputs.requireProbabilities("pit", pit, size);
    ModuleAInputs.requireLength("expectedPrecisionOut", expectedPrecisionOut.length, size);
    for (int n = 0; n < size; n++) {
      double half = 0.5 * secondMoment[n];
      // DESIGN 2, collapsed rho-step: q(rho | s) = Ga(a_s + 1/2, b_s + E[w^2]/2), mixed by pit
      double active = (prior.a() + 0.5) / (prior.b() + half);
      double inactive = (prior.abar() + 0.5) / (prior.bbar() + half);
      expectedPrecisionOut[n] = pit[n] * active + (1 - pit[n]) * inactive;
    }
  }

  private static double logZConstant(double shape, double rate) {
    return shape * Math.log(rate) - Gamma.logGamma(shape) + Gamma.logGamma(shape + 0.5);
  }
}
