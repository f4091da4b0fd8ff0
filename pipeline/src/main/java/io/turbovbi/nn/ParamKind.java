package io.turbovbi.nn;

/** What a block of a network's flat parameter vector holds. */
public enum ParamKind {
  /** Weights of a deterministic layer, or the posterior means mu of a variational layer. */
  WEIGHT,
  /** Log-variances of a variational layer's Gaussian posterior, one per weight. */
  LOGVAR,
  /** Biases: plain parameters with no prior. */
  BIAS
}
