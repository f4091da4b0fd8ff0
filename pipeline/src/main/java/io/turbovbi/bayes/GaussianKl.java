package io.turbovbi.bayes;

import io.turbovbi.nn.Kernels;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.Update;
import java.util.Arrays;

/**
 * KL(q(w) || p(w)) for q(w_n) = N(mu_n, sigma_n^2) and the prior p(w_n) = N(0, 1 / E[rho_n]) with one precision per
 * weight (DESIGN 2, w-step): {@code sum_n 0.5 (E[rho_n] (mu_n^2 + sigma_n^2) - 1 - ln E[rho_n] - ln sigma_n^2)}.
 * Precisions are set per weight layer (numbered 0.. in network order) and default to 1.
 */
public final class GaussianKl implements Update.Regulariser {
  /** Log-variances turned into variances at a time in {@link #addGradient}: a buffer that stays in L1. */
  private static final int EXP_PIECE = 1024;

  private final ParamBlock[] means;
  private final ParamBlock[] logVars;
  private final double[][] precisions;
  /** The precisions rounded to floats, for the gradient. */
  private final float[][] floatPrecisions;
  /** Per layer: sum_n (-1 - ln E[rho_n]), the part of the KL that does not depend on q(w). */
  private final double[] constants;

  public GaussianKl(Network network) {
    int[] layers = network.weightLayers();
    this.means = new ParamBlock[layers.length];
    this.logVars = new ParamBlock[layers.length];
    this.precisions = new double[layers.length][];
    this.floatPrecisions = new float[layers.length][];
    this.constants = new double[layers.length];
    for (int k = 0; k < layers.length; k++) {
      means[k] = network.block(layers[k], ParamKind.WEIGHT);
      logVars[k] = network.block(layers[k], ParamKind.LOGVAR);
      if (logVars[k] == null) {
        throw new IllegalArgumentException("layer " + (layers[k] + 1) + " is not variational");
      }
      precisions[k] = new double[means[k].length()];
      Arrays.fill(precisions[k], 1.0);
      floatPrecisions[k] = new float[means[k].length()];
      Arrays.fill(floatPrecisions[k], 1f);
      constants[k] = -precisions[k].length;
    }
  }

  public int layerCount() {
    return means.length;
  }

  /** Sets E[rho] of every weight of weight layer k (copied). */
  public void setPrecision(int k, double[] precision) {
    if (precision.length != means[k].length()) {
      throw new IllegalArgumentException("weight layer " + k + " has " + means[k].length() + " weights, got "
          + precision.length + " precisions");
    }
    for (int i = 0; i < precision.length; i++) {
      if (!(precision[i] > 0) || Double.isInfinite(precision[i])) {
        throw new IllegalArgumentException("precision of weight " + i + " of weight layer " + k
            + " must be positive and finite, got " + precision[i]);
      }
    }
    precisions[k] = precision.clone();
    floatPrecisions[k] = new float[precision.length];
    for (int i = 0; i < precision.length; i++) {
      floatPrecisions[k][i] = (float) precision[i];
    }
    double constant = 0;
    for (double rho : precision) {
      constant -= 1 + Math.log(rho);
    }
    constants[k] = constant;
  }

  /** Sets the same E[rho] for every weight of every layer. */
  public void setPrecision(double precision) {
    for (int k = 0; k < means.length; k++) {
      double[] all = new double[means[k].length()];
      Arrays.fill(all, precision);
      setPrecision(k, all);
    }
  }

  @Override
  public double value(float[] params) {
    double twiceKl = 0;
    for (int k = 0; k < means.length; k++) {
      twiceKl += constants[k];
      int mu = means[k].offset();
      int lv = logVars[k].offset();
      double[] rho = precisions[k];
      for (int i = 0; i < rho.length; i++) {
        double m = params[mu + i];
        double logVar = params[lv + i];
        twiceKl += rho[i] * (m * m + Math.exp(logVar)) - logVar;
      }
    }
    return 0.5 * twiceKl;
  }

  /**
   * d KL / d mu = E[rho] mu and d KL / d log sigma^2 = (E[rho] sigma^2 - 1) / 2, for parameters in [from, to), in
   * float arithmetic that the JIT vectorises (sigma^2 from {@link Kernels#exp}, in pieces of a small buffer).
   */
  @Override
  public void addGradient(float[] params, float[] gradients, double weight, int from, int to) {
    float w = (float) weight;
    float halfW = (float) (0.5 * weight);
    float[] variance = new float[EXP_PIECE];
    for (int k = 0; k < means.length; k++) {
      float[] rho = floatPrecisions[k];
      int mu = means[k].offset();
      for (int i = Math.max(from, mu); i < Math.min(to, mu + rho.length); i++) {
        gradients[i] += w * rho[i - mu] * params[i];
      }
      int lv = logVars[k].offset();
      int end = Math.min(to, lv + rho.length);
      for (int start = Math.max(from, lv); start < end; start += EXP_PIECE) {
        int length = Math.min(EXP_PIECE, end - start);
        Kernels.exp(params, start, variance, 0, length);
        int r = start - lv;
        for (int j = 0; j < length; j++) {
          gradients[start + j] += halfW * (rho[r + j] * variance[j] - 1f);
        }
      }
    }
  }
}
