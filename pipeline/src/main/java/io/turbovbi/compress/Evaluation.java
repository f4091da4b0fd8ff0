package io.turbovbi.compress;

import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.GradientEngine;

/** Accuracy of a deterministic network on labelled samples, on this JVM. */
public final class Evaluation {
  private Evaluation() {}

  public static double accuracy(MeanNetwork model, LabeledSamples samples, int threads) {
    try (GradientEngine engine = new GradientEngine(model.network(), threads, 256)) {
      return engine.evaluate(model.params(), samples.features(), samples.labels(), 0, samples.size()).accuracy();
    }
  }
}
