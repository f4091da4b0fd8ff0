package io.turbovbi.bayes;

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
  private final ParamBlock[] means;
  private final ParamBlock[] logVars;
  private final double[][] precisions;
  /** Per layer: sum_n (-1 - ln E[rho_n]), the part of the KL that does not depend on q(w). */
  private final double[] constants;

  public GaussianKl(Network network) {
    int[] layers = network.weightLayers();
    this.means = new ParamBlock[layers.length];
    this.logVars = new ParamBlock[layers.length];
    this.precisions = new double[layers.length][];
    this.constants = new double[layers.length];
    for (int k = 0; k < layers.length; k++) {
      means[k] = network.block(layers[k], ParamKind.WEIGHT);
      logVars[k] = network.block(layers[k], ParamKind.LOGVAR);
      if (logVars[k] == null) {
        throw new IllegalArgumentException("layer " + (layers[k] + 1) + " is not variational");
      }
      precisions[k] = new double[means[k].length()];
      Arrays.fill(precisions[k], 1.0);
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

  /** d KL / d mu = E[rho] mu and d KL / d log sigma^2 = (E[rho] sigma^2 - 1) / 2, for parameters in [from, to). */
  @Override
  public void addGradient(float[] params, float[] gradients, double weight, int from, int to) {
    for (int k = 0; k < means.length; k++) {
      double[] rho = precisions[k];
      int mu = means[k].offset();
      for (int i = Math.max(from, mu); i < Math.min(to, mu + rho.length); i++) {
        gradients[i] += (float) (weight * rho[i - mu] * params[i]);
      }
      int lv = logVars[k].offset();
      for (int i = Math.max(from, lv); i < Math.min(to, lv + rho.length); i++) {
        gradients[i] += (float) (weight * 0.5 * (rho[i - lv] * Math.exp(params[i]) - 1));
      }
    }
  }
}
