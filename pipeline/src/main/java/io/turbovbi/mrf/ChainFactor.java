package io.turbovbi.mrf;

/**
 * The pairwise factor psi(a, b) = P(b | a) of a first-order binary Markov chain (DESIGN 1): P(1|0) = p01,
 * P(0|1) = p10, a the left or upper node. Its sum-product messages are Moebius maps on odds, so a message costs
 * one division and no exp or log: with c the cavity odds of the sending node,
 * forward (a to b) odds = (psi01 + psi11 c) / (psi00 + psi10 c), backward (b to a) odds = (psi10 + psi11 c) /
 * (psi00 + psi01 c). Outputs are clipped to the odds of +-{@link LogOdds#CLIP}.
 */
final class ChainFactor {

  private final double p01;
  private final double p10;
  private final double stay0;
  private final double stay1;

  ChainFactor(double p01, double p10) {
    this.p01 = p01;
    this.p10 = p10;
    this.stay0 = 1.0 - p01;
    this.stay1 = 1.0 - p10;
  }

  /** Odds of the message from a to b (left to right, upper to lower) given the cavity odds of a. */
  double forward(double cavityOdds) {
    return LogOdds.clipOdds((p01 + stay1 * cavityOdds) / (stay0 + p10 * cavityOdds));
  }

  /** Odds of the message from b to a (right to left, lower to upper) given the cavity odds of b. */
  double backward(double cavityOdds) {
    return LogOdds.clipOdds((p10 + stay1 * cavityOdds) / (stay0 + p01 * cavityOdds));
  }

  /** Log-odds of Bern(lambda), lambda = p01 / (p01 + p10): the prior of a chain's first node (DESIGN 1). */
  double firstNodeLogOdds() {
    return LogOdds.clip(Math.log(p01) - Math.log(p10));
  }
}
