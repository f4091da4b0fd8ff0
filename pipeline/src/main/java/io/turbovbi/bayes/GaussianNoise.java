package io.turbovbi.bayes;

import io.turbovbi.nn.Seeds;
import java.util.SplittableRandom;

/**
 * Standard normal noise for the local reparameterisation trick. A sample's draws in a layer come from a stream
 * keyed by the sample's noise key and the layer, so they do not depend on how a batch is split.
 */
final class GaussianNoise {
  private GaussianNoise() {}

  static SplittableRandom stream(long sampleKey, long layerSalt) {
    return new SplittableRandom(Seeds.derive(sampleKey, layerSalt));
  }

  /** Fills {@code count} values starting at {@code offset}. */
  static void fill(SplittableRandom random, float[] target, int offset, int count) {
    for (int i = offset; i < offset + count; i++) {
      target[i] = (float) random.nextGaussian();
    }
  }
}
