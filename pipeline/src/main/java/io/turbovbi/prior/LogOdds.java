package io.turbovbi.prior;

/** Log-odds helpers of Module A: the clip every log-odds goes through, logit and a stable sigmoid. */
final class LogOdds {

  /** Every log-odds (LLR_A, logit pi, logit pit) is clipped to [-CLIP, CLIP] (DESIGN, numerics). */
  static final double CLIP = 30.0;

  private LogOdds() {
  }

  static double clip(double logOdds) {
    return Math.max(-CLIP, Math.min(CLIP, logOdds));
  }

  /** ln(p / (1 - p)), clipped; p = 0 and p = 1 give -CLIP and CLIP. */
  static double logit(double p) {
    return clip(Math.log(p) - Math.log1p(-p));
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
