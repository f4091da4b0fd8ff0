package io.turbovbi.bayes;

import io.turbovbi.nn.Kernels;

/** Elementwise steps of the local reparameterisation trick shared by the variational layers. */
final class Variances {
  /** Below this standard deviation a pre-activation is treated as deterministic (no gradient to its variance). */
  private static final float MIN_STD = 1e-20f;

  private Variances() {}

  /** variance[i] = exp(params[offset + i]) for i in [from, to). */
  static void exp(float[] params, int offset, float[] variance, int from, int to) {
    Kernels.exp(params, offset + from, variance, from, to - from);
  }

  /** On entry {@code std} holds the variance v; on exit sqrt(v), and {@code mean} holds m + sqrt(v) * eps. */
  static void sample(float[] mean, float[] std, float[] noise, int length) {
    for (int i = 0; i < length; i++) {
      float s = (float) Math.sqrt(std[i]);
      std[i] = s;
      mean[i] += s * noise[i];
    }
  }

  /** On entry {@code noiseInOut} holds eps; on exit d/dv = d/dm * eps / (2 sqrt(v)). */
  static void varianceGradient(float[] gradMean, float[] std, float[] noiseInOut, int length) {
    for (int i = 0; i < length; i++) {
      float s = std[i];
      noiseInOut[i] = s > MIN_STD ? gradMean[i] * noiseInOut[i] * 0.5f / s : 0f;
    }
  }

  /** d/d(log sigma^2) = d/d(sigma^2) * sigma^2, in place on the log-variance block. */
  static void chainToLogVar(float[] gradients, int offset, float[] variance) {
    for (int i = 0; i < variance.length; i++) {
      gradients[offset + i] *= variance[i];
    }
  }
}
