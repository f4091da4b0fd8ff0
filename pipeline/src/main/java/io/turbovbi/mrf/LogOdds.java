package io.turbovbi.mrf;

/** Log-odds helpers of Module B: the clip every log-odds goes through, and a stable sigmoid. */
final class LogOdds {

  /** Every log-odds (input, message, output) is clipped to [-CLIP, CLIP] (DESIGN, numerics). */
  static final double CLIP = 30.0;

  /** Odds of the clip bounds: messages are stored as odds exp(log-odds) within [ODDS_MIN, ODDS_MAX]. */
  static final double ODDS_MIN = Math.exp(-CLIP);
  static final double ODDS_MAX = Math.exp(CLIP);

  private LogOdds() {
  }

  static double clip(double logOdds) {
    return Math.max(-CLIP, Math.min(CLIP, logOdds));
  }

  static double clipOdds(double odds) {
    return Math.max(ODDS_MIN, Math.min(ODDS_MAX, odds));
  }

  /** P(s = 1) for a log-odds x, without overflow for any x. */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }
}
