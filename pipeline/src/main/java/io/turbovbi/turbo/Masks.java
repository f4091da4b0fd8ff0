package io.turbovbi.turbo;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;

/** Support masks over a network's weights: weight n of weight layer k is kept iff masks[k][n]. */
public final class Masks {
  private Masks() {}

  /** Kept weights of one layer. */
  public static int kept(boolean[] mask) {
    int kept = 0;
    for (boolean m : mask) {
      kept += m ? 1 : 0;
    }
    return kept;
  }

  /** Kept weights of all layers. */
  public static long kept(boolean[][] masks) {
    long kept = 0;
    for (boolean[] mask : masks) {
      kept += kept(mask);
    }
    return kept;
  }

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
