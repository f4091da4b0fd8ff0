package io.turbovbi.turbo;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;

/** Support masks over a network's weights: weight n of weight layer k is kept iff masks[k][n]. */
public final class Masks {
  private Masks() {}

  /** A copy of the parameters with every weight outside the masks set to zero. */
  public static float[] apply(Network network, float[] params, boolean[][] masks) {
    float[] masked = params.clone();
    int[] layers = network.weightLayers();
    if (masks.length != layers.length) {
      throw new IllegalArgumentException(masks.length + " masks for " + layers.length + " weight layers");
    }
    for (int k = 0; k < layers.length; k++) {
      ParamBlock weights = network.block(layers[k], ParamKind.WEIGHT);
      if (masks[k].length != weights.length()) {
        throw new IllegalArgumentException("mask " + k + " has " + masks[k].length + " entries for "
            + weights.length() + " weights");
      }
      for (int n = 0; n < masks[k].length; n++) {
        if (!masks[k][n]) {
          masked[weights.offset() + n] = 0f;
        }
      }
    }
    return masked;
  }
}
