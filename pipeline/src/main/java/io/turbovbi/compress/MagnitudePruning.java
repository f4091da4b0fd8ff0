package io.turbovbi.compress;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import java.util.Arrays;

/** The baseline: keep the given number of weights with the largest magnitude over the whole network. */
public final class MagnitudePruning {
  private MagnitudePruning() {}

  /** Masks keeping the {@code keep} largest |w| of all weight layers together (ties broken by position). */
  public static boolean[][] globalMask(Network network, float[] params, long keep) {
    int[] layers = network.weightLayers();
    long total = network.weightCount();
    if (keep < 1 || keep > total) {
      throw new IllegalArgumentException("can keep 1 to " + total + " weights, not " + keep);
    }
    float[] magnitudes = new float[(int) total];
    int n = 0;
    for (int layer : layers) {
      ParamBlock weights = network.block(layer, ParamKind.WEIGHT);
      for (int i = weights.offset(); i < weights.end(); i++) {
        magnitudes[n++] = Math.abs(params[i]);
      }
    }
    float[] sorted = magnitudes.clone();
    Arrays.sort(sorted);
    float threshold = sorted[(int) (total - keep)];
    long above = 0;
    for (float m : magnitudes) {
      above += m > threshold ? 1 : 0;
    }
    long atThresholdToKeep = keep - above;
    boolean[][] masks = new boolean[layers.length][];
    n = 0;
    for (int k = 0; k < layers.length; k++) {
      masks[k] = new boolean[network.block(layers[k], ParamKind.WEIGHT).length()];
      for (int i = 0; i < masks[k].length; i++, n++) {
        float m = magnitudes[n];
        if (m > threshold) {
          masks[k][i] = true;
        } else if (m == threshold && atThresholdToKeep > 0) {
          masks[k][i] = true;
          atThresholdToKeep--;
        }
      }
    }
    return masks;
  }

  /**
   * Per weight layer, ln |w| of every weight: the evidence on which the compression controller prunes by magnitude
   * (kept iff ln |w| + beta &gt; 0). A zero weight gets ln of the smallest float, so it is the first to go.
   */
  public static double[][] logMagnitudes(Network network, float[] params) {
    int[] layers = network.weightLayers();
    double[][] evidence = new double[layers.length][];
    for (int k = 0; k < layers.length; k++) {
      ParamBlock weights = network.block(layers[k], ParamKind.WEIGHT);
      evidence[k] = new double[weights.length()];
      for (int n = 0; n < evidence[k].length; n++) {
        evidence[k][n] = Math.log(Math.max(Math.abs(params[weights.offset() + n]), Float.MIN_VALUE));
      }
    }
    return evidence;
  }
}
