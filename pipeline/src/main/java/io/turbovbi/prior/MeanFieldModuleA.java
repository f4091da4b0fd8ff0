package io.turbovbi.prior;

import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * Module A in the mean-field factorisation q(w) q(rho) q(s) of DESIGN 2, as in the paper's derivation (Xia, Tsang
 * and Lau, "Structured Bayesian Compression for Deep Neural Networks Based on the Turbo-VBI Approach", IEEE TSP 71
 * (2023), arXiv 2302.10483); kept as the ablation of the collapsed form.
 *
 * <p>State: q(rho_n) = Ga(at_n, bt_n) per weight. Initial state, for initial share pi0: at_n = pi0 a + (1 - pi0)
 * abar and bt_n = at_n / m with m = {@link GammaMixturePrior#mixturePrecision}(pi0), so E[rho_n] starts at the
 * precision of the first w-step. The Turbo loop replaces it by a rho-step on the warm weights before the first
 * Module B call (see {@link ModuleA}).
 */
public final class MeanFieldModuleA implements ModuleA {

  private final GammaMixturePrior prior;
  private final double[] shape;
  private final double[] rate;
  /** a ln b - lnGamma(a) minus abar ln bbar - lnGamma(abar): the constant part of ln C - ln Cbar. */
  private final double logRatioConstant;

  public MeanFieldModuleA(GammaMixturePrior prior, int size, double initialShare) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    GammaMixturePrior.requireShare("initialShare", initialShare);
    this.prior = prior;
    this.shape = new double[size];
    this.rate = new double[size];
    double initialShape = initialShare * prior.a() + (1 - initialShare) * prior.abar();
    double initialRate = initialShape / prior.mixturePrecision(initialShare);
    Arrays.fill(shape, initialShape);
    Arrays.fill(rate, initialRate);
    this.logRatioConstant = prior.a() * Math.log(prior.b()) - Gamma.logGamma(prior.a())
        - prior.abar() * Math.log(prior.bbar()) + Gamma.logGamma(prior.abar());
  }

  @Override
  public int size() {
    return shape.length;
  }

  @Override
  public void logLikelihoodRatio(double[] secondMoment, double[] llrOut) {
    ModuleAInputs.requireLength("secondMoment", secondMoment.length, size());
    ModuleAInputs.requireLength("llrOut", llrOut.length, size());
    double shapeGap = prior.a() - prior.abar();
    double rateGap = prior.b() - prior.bbar();
    for (int n = 0; n < shape.length; n++) {
      double meanRho = shape[n] / rate[n];
      double meanLogRho = Digamma.digamma(shape[n]) - Math.log(rate[n]);
      // DESIGN 2, meanfield LLR: ln C - ln Cbar, ln C = a ln b - lnGamma(a) + (a-1) E[ln rho] - b E[rho]
      llrOut[n] = LogOdds.clip(logRatioConstant + shapeGap * meanLogRho - rateGap * meanRho);
    }
  }

  @Override
  public void rhoStep(double[] secondMoment, double[] pit, double[] expectedPrecisionOut) {
    ModuleAInputs.requireSecondMoments(secondMoment, size());
    ModuleAInputs.requireProbabilities("pit", pit, size());
    ModuleAInputs.requireLength("expectedPrecisionOut", expectedPrecisionOut.length, size());
    for (int n = 0; n < shape.length; n++) {
      double p = pit[n];
      // DESIGN 2, meanfield rho-step: at = pit a + (1-pit) abar + 1/2, bt = pit b + (1-pit) bbar + E[w^2]/2
      shape[n] = p * prior.a() + (1 - p) * prior.abar() + 0.5;
      rate[n] = p * prior.b() + (1 - p) * prior.bbar() + 0.5 * secondMoment[n];
      expectedPrecisionOut[n] = shape[n] / rate[n];
    }
  }

  /** Shapes at_n of q(rho_n), a copy (for checkpoints). */
  public double[] shapes() {
    return shape.clone();
  }

  /** Rates bt_n of q(rho_n), a copy (for checkpoints). */
  public double[] rates() {
    return rate.clone();
  }

  /** Restores q(rho) saved by {@link #shapes()} and {@link #rates()}. */
  public void restore(double[] shapes, double[] rates) {
    ModuleAInputs.requireLength("shapes", shapes.length, size());
    ModuleAInputs.requireLength("rates", rates.length, size());
    for (int n = 0; n < shape.length; n++) {
      if (!(shapes[n] > 0 && rates[n] > 0)) {
        throw new IllegalArgumentException("q(rho) needs shape and rate > 0, got " + shapes[n] + ", "
            + rates[n] + " at weight " + n);
      }
    }
    System.arraycopy(shapes, 0, shape, 0, shape.length);
    System.arraycopy(rates, 0, rate, 0, rate.length);
  }

  /** q(rho) of every weight: its shapes and its rates. */
  @Override
  public double[][] state() {
    return new double[][] {shapes(), rates()};
  }

  @Override
  public void restoreState(double[][] state) {
    if (state.length != 2) {
      throw new IllegalArgumentException("mean-field state is shapes and rates, got " + state.length + " arrays");
    }
    restore(state[0], state[1]);
  }
}
