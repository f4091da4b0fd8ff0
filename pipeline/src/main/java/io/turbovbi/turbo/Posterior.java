package io.turbovbi.turbo;

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
}
