package io.turbovbi.prior;

/**
 * The per-layer prior on a weight's precision given its support (DESIGN 1): Ga(rho; a, b) when active (s = 1),
 * Ga(rho; abar, bbar) when inactive (s = 0), shape and rate, E[rho] = shape / rate.
 *
 * @param a    shape of the active precision prior, &gt; 0
 * @param b    rate of the active precision prior, &gt; 0
 * @param abar shape of the inactive precision prior, &gt; 0
 * @param bbar rate of the inactive precision prior, &gt; 0
 */
public record GammaMixturePrior(double a, double b, double abar, double bbar) {

  public GammaMixturePrior {
    requirePositive("a", a);
    requirePositive("b", b);
    requirePositive("abar", abar);
    requirePositive("bbar", bbar);
  }

  /**
   * The prior-mixture precision lambda a/b + (1 - lambda) abar/bbar that the first w-step uses for every weight
   * (DESIGN 2, outer loop), lambda being the zero-evidence active share.
   */
  public double mixturePrecision(double lambda) {
    requireShare("lambda", lambda);
    return lambda * a / b + (1 - lambda) * abar / bbar; // DESIGN 2, outer loop: first w-step precision
  }

  static void requireShare(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
    }
  }

  private static void requirePositive(String name, double value) {
    if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be > 0 and finite, got " + value);
    }
  }
}
