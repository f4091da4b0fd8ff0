package io.turbovbi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkGradientTest {
  private static final String SMALL_CNN = "conv(3,3,pad=1) relu maxpool(2) conv(4,2) relu flatten dense(5) relu "
      + "dense(3)";

  @Test
  void softmaxCrossEntropyGradientMatchesFiniteDifferences() {
    float[] logits = {0.3f, -1.2f, 2.0f, 0.1f, 0.5f, 0.5f, -0.4f, 1.1f};
    int[] labels = {2, 1};
    float[] gradient = new float[logits.length];
    SoftmaxCrossEntropy.apply(logits, labels, 0, 2, 4, gradient);
    for (int i = 0; i < logits.length; i++) {
      float saved = logits[i];
      logits[i] = saved + 1e-3f;
      double plus = SoftmaxCrossEntropy.apply(logits, labels, 0, 2, 4, null).lossSum();
      logits[i] = saved - 1e-3f;
      double minus = SoftmaxCrossEntropy.apply(logits, labels, 0, 2, 4, null).lossSum();
      logits[i] = saved;
      assertEquals((plus - minus) / 2e-3, gradient[i], 1e-3, "logit " + i);
    }
    double expected = -Math.log(Math.exp(2.0) / (Math.exp(0.3) + Math.exp(-1.2) + Math.exp(2.0) + Math.exp(0.1)))
        - Math.log(Math.exp(0.5) / (2 * Math.exp(0.5) + Math.exp(-0.4) + Math.exp(1.1)));
    assertEquals(expected, SoftmaxCrossEntropy.apply(logits, labels, 0, 2, 4, null).lossSum(), 1e-6);
  }

  @Test
  void networkGradientOfTheLossMatchesFiniteDifferences() {
    Network network = NetworkSpec.parse(SMALL_CNN).build(2, 6, 6, 3, LayerFactory.DETERMINISTIC);
    Data data = Data.random(network, 5, 21);
    float[] params = network.initialParameters(22);
    float[] gradients = new float[params.length];
    try (GradientEngine engine = new GradientEngine(network, 1, 5)) {
      engine.gradient(params, data.features, data.labels, data.indices, 0, 5, data.keys, gradients);
      SplittableRandom random = new SplittableRandom(23);
      for (int trial = 0; trial < 60; trial++) {
        int i = random.nextInt(params.length);
        float saved = params[i];
        // A small step: a larger one can carry a ReLU or a max-pooling choice across its kink.
        params[i] = saved + 1e-3f;
        double plus = engine.evaluate(params, data.features, data.labels, 0, 5).lossSum();
        params[i] = saved - 1e-3f;
        double minus = engine.evaluate(params, data.features, data.labels, 0, 5).lossSum();
        params[i] = saved;
        double numeric = (plus - minus) / 2e-3;
        assertEquals(numeric, gradients[i], 5e-3 + 2e-2 * Math.abs(numeric), "parameter " + i);
      }
    }
  }

  @Test
  void twoThreadsGiveTheGradientOfOne() {
    Network network = NetworkSpec.parse(SMALL_CNN).build(2, 6, 6, 3, LayerFactory.DETERMINISTIC);
    Data data = Data.random(network, 9, 31);
    float[] params = network.initialParameters(32);
    float[] one = new float[params.length];
    float[] two = new float[params.length];
    try (GradientEngine single = new GradientEngine(network, 1, 9);
         GradientEngine dual = new GradientEngine(network, 2, 9)) {
      double lossOne = single.gradient(params, data.features, data.labels, data.indices, 0, 9, data.keys, one)
          .lossSum();
      double lossTwo = dual.gradient(params, data.features, data.labels, data.indices, 0, 9, data.keys, two)
          .lossSum();
      assertEquals(lossOne, lossTwo, 1e-6 * Math.abs(lossOne));
      for (int i = 0; i < one.length; i++) {
        assertEquals(one[i], two[i], 1e-5f * Math.max(1f, Math.abs(one[i])), "parameter " + i);
      }
    }
  }

  /** A random labelled batch. */
  private record Data(float[] features, int[] labels, int[] indices, long[] keys) {
    static Data random(Network network, int n, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      float[] features = new float[n * network.inputSize()];
      for (int i = 0; i < features.length; i++) {
        features[i] = (float) random.nextGaussian();
      }
      int[] labels = random.ints(n, 0, network.classes()).toArray();
      int[] indices = new int[n];
      for (int i = 0; i < n; i++) {
        indices[i] = n - 1 - i;
      }
      return new Data(features, labels, indices, random.longs(n).toArray());
    }
  }
}
