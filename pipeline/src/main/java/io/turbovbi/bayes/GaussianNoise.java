package io.turbovbi.bayes;

import io.turbovbi.nn.Kernels;
import io.turbovbi.nn.Seeds;

/**
 * Standard normal noise for the local reparameterisation trick. A sample's draws in a layer come from a stream
 * keyed by the sample's noise key and the layer, so they do not depend on how a batch is split.
 */
final class GaussianNoise {
  private GaussianNoise() {}

  static long stream(long sampleKey, long layerSalt) {
    return Seeds.derive(sampleKey, layerSalt);
  }

  /** Fills target[offset .. offset+count) with draws number {@code first ..} of the stream. */
  static void fill(long stream, int first, float[] target, int offset, int count) {
    Kernels.gaussian(stream, first, target, offset, count);
  }
}
