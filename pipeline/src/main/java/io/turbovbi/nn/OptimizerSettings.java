package io.turbovbi.nn;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which optimiser, with which learning rates: a recipe that can travel to another JVM and build the same optimiser
 * there.
 *
 * @param kind {@code adam} or {@code sgd} (with momentum)
 * @param learningRate for weights and biases
 * @param logvarLearningRate for log-variances
 * @param momentum for sgd (ignored by adam)
 */
public record OptimizerSettings(String kind, double learningRate, double logvarLearningRate, double momentum)
    implements Serializable {
  public OptimizerSettings {
    kind = kind.toLowerCase(Locale.ROOT);
    if (!kind.equals("adam") && !kind.equals("sgd")) {
      throw new IllegalArgumentException("optimiser must be adam or sgd, got " + kind);
    }
  }

  public Optimizer build(Network network) {
    return kind.equals("adam") ? new Adam(network, learningRate, logvarLearningRate)
        : new SgdMomentum(network, learningRate, logvarLearningRate, momentum);
  }
}
