package io.turbovbi.nn;

import java.util.random.RandomGenerator;

/** Weight initialisation schemes; biases start at zero. */
public enum Initialisation {
  /** He et al. (2015): N(0, 2 / fanIn), for layers followed by ReLU. */
  HE,
  /** Glorot and Bengio (2010): U(-a, a) with a = sqrt(6 / (fanIn + fanOut)). */
  GLOROT;

  public void fill(float[] weights, int offset, int length, int fanIn, int fanOut, RandomGenerator random) {
    switch (this) {
      case HE -> {
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < length; i++) {
          weights[offset + i] = (float) (std * random.nextGaussian());
        }
      }
      case GLOROT -> {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < length; i++) {
          weights[offset + i] = (float) (limit * (2 * random.nextDouble() - 1));
        }
      }
    }
  }
}
