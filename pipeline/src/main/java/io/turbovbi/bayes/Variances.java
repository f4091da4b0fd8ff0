package io.turbovbi.bayes;

import io.turbovbi.nn.Kernels;

/** Elementwise steps of the local reparameterisation trick shared by the variational layers. */
final class Variances {
  /**
   * At or below this variance (a standard deviation of 1e-20) a pre-activation is treated as deterministic (no
   * gradient to its variance).
   */
  private static final float MIN_VARIANCE = 1e-40f;

  private Variances() {}

  /** variance[i] = exp(params[offset + i]) for i in [from, to). */
  static void exp(float[] params, int offset, float[] variance, int from, int to) {
    Kernels.exp(params, offset + from, variance, from, to - from);
  }

  /**
   * On entry {@code variance} holds v and {@code noise} eps; on exit {@code mean} holds m + sqrt(v) eps and
   * {@code noise} the slope d(m + sqrt(v) eps)/dv = eps / (2 sqrt(v)) that backward needs (0 where v is at most
   * MIN_VARIANCE), so that backward is a product and divides nothing.
   */
  static void sample(float[] mean, float[] variance, float[] noise, int length) {
    for (int i = 0; i < length; i++) {
      float s = (float) Math.sqrt(variance[i]);
      float eps = noise[i];
      mean[i] += s * eps;
      noise[i] = eps * 0.5f / s;
    }
    // Apart, because a select in the loop above keeps the JIT from vectorising it (3.5 times slower, measured).
    for (int i = 0; i < length; i++) {
      if (variance[i] <= MIN_VARIANCE) {
        noise[i] = 0f;
      }
    }
  }

  /** On entry {@code slopeInOut} holds the slope of {@link #sample}; on exit d/dv = d/dm * slope. */
  static void varianceGradient(float[] gradMean, float[] slopeInOut, int length) {
    for (int i = 0; i < length; i++) {
      slopeInOut[i] *= gradMean[i];
    }
  }

  /** d/d(log sigma^2) = d/d(sigma^2) * sigma^2, in place on the log-variance block. */
  static void chainToLogVar(float[] gradients, int offset, float[] variance) {
    for (int i = 0; i < variance.length; i++) {
      gradients[offset + i] *= variance[i];
    }
  }
}
