package io.turbovbi.prior;

import java.util.function.DoubleUnaryOperator;

/**
 * Integrals over rho in (0, infinity) by the trapezoidal rule in t = ln rho, written for these tests and independent
 * of the closed forms: the integrand is given as its logarithm as a function of t, the range is found by scanning
 * for where the integrand exceeds exp(-CUTOFF) of its peak, and the step is small enough that the trapezoidal rule
 * (exponentially accurate for smooth integrands decaying on both sides) is exact to rounding.
 */
final class RhoQuadrature {

  private static final double SCAN_FROM = -20000;
  private static final double SCAN_TO = 400;
  private static final double SCAN_STEP = 0.5;
  private static final double CUTOFF = 80;
  private static final double STEP = 0.005;

  private RhoQuadrature() {
  }

  /** ln of the integral over rho of exp(logIntegrand(ln rho)) d rho. */
  static double logIntegral(DoubleUnaryOperator logIntegrand) {
    return integrate(logIntegrand, t -> 1.0)[0];
  }

  /** The mean of factor(ln rho) under the density proportional to exp(logIntegrand(ln rho)). */
  static double mean(DoubleUnaryOperator logIntegrand, DoubleUnaryOperator factor) {
    return integrate(logIntegrand, factor)[1];
  }

  /** {ln integral of the density, integral of density times factor / integral of density}. */
  private static double[] integrate(DoubleUnaryOperator logIntegrand, DoubleUnaryOperator factor) {
    // d rho = rho dt, so the integrand in t gains the term t
    DoubleUnaryOperator inT = t -> logIntegrand.applyAsDouble(t) + t;
    double peak = Double.NEGATIVE_INFINITY;
    for (double t = SCAN_FROM; t <= SCAN_TO; t += SCAN_STEP) {
      peak = Math.max(peak, inT.applyAsDouble(t));
    }
    double from = SCAN_TO;
    double to = SCAN_FROM;
    for (double t = SCAN_FROM; t <= SCAN_TO; t += SCAN_STEP) {
      if (inT.applyAsDouble(t) > peak - CUTOFF) {
        from = Math.min(from, t - 2 * SCAN_STEP);
        to = Math.max(to, t + 2 * SCAN_STEP);
      }
    }
    if (from <= SCAN_FROM || to >= SCAN_TO) {
      throw new IllegalStateException("integrand not negligible at the scan border: " + from + " .. " + to);
    }
    int steps = (int) Math.ceil((to - from) / STEP);
    double h = (to - from) / steps;
    double sum = 0;
    double weighted = 0;
    for (int i = 0; i <= steps; i++) {
      double t = from + i * h;
      double w = Math.exp(inT.applyAsDouble(t) - peak) * (i == 0 || i == steps ? 0.5 : 1.0);
      sum += w;
      weighted += w * factor.applyAsDouble(t);
    }
    return new double[] {peak + Math.log(sum * h), weighted / sum};
  }
}
