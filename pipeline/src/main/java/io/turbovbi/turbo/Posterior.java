package io.turbovbi.turbo;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import java.util.Arrays;

/**
 * q(w) = N(mu, sigma^2) of every weight, per weight layer (numbered 0.. in network order), in each layer's weight
 * order.
 */
public record Posterior(float[][] means, float[][] variances) {
  public Posterior {
    if (means.length != variances.length) {
      throw new IllegalArgumentException(means.length + " layers of means but " + variances.length
          + " of variances");
    }
    for (int k = 0; k < means.length; k++) {
      if (means[k].length != variances[k].length) {
        throw new IllegalArgumentException("layer " + k + ": " + means[k].length + " means but "
            + variances[k].length + " variances");
      }
    }
  }

  public int layers() {
    return means.length;
  }

  /** q(w) read from a variational network's parameters: mu and exp(log sigma^2) of every weight layer. */
  public static Posterior of(Network network, float[] params) {
    int[] weightLayers = network.weightLayers();
    float[][] means = new float[weightLayers.length][];
    float[][] variances = new float[weightLayers.length][];
    for (int k = 0; k < weightLayers.length; k++) {
      ParamBlock mu = network.block(weightLayers[k], ParamKind.WEIGHT);
      ParamBlock logVar = network.block(weightLayers[k], ParamKind.LOGVAR);
      means[k] = Arrays.copyOfRange(params, mu.offset(), mu.end());
      variances[k] = new float[logVar.length()];
      for (int n = 0; n < logVar.length(); n++) {
        variances[k][n] = (float) Math.exp(params[logVar.offset() + n]);
      }
    }
    return new Posterior(means, variances);
  }
}
