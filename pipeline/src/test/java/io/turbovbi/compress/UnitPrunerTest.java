package io.turbovbi.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.WeightShape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Removing dead units leaves a smaller network that computes exactly what the masked one computed. */
class UnitPrunerTest {
  /**
   * A network whose weight layers lose whole units (rows: no input; columns: no reader) and single weights, with
   * non-zero biases so that dead-input units carry constants into the next layer.
   */
  private static MeanNetwork masked(String description, int channels, int side, long seed) {
    NetworkSpec spec = NetworkSpec.parse(description);
    Network network = spec.build(channels, side, side, 4, LayerFactory.DETERMINISTIC);
    float[] params = network.initialParameters(seed);
    SplittableRandom random = new SplittableRandom(seed);
    int[] layers = network.weightLayers();
    for (int k = 0; k < layers.length; k++) {
      WeightShape shape = network.weightShapes().get(k);
      ParamBlock weights = network.block(layers[k], ParamKind.WEIGHT);
      ParamBlock bias = network.block(layers[k], ParamKind.BIAS);
      int row = weights.length() / shape.outputs();
      for (int o = 0; o < shape.outputs(); o++) {
        params[bias.offset() + o] = (float) random.nextGaussian() * 0.3f;
        boolean deadRow = k + 1 < layers.length && random.nextDouble() < 0.35;
        for (int i = 0; i < row; i++) {
          if (deadRow || random.nextDouble() < 0.3) {
            params[weights.offset() + o * row + i] = 0f;
          }
        }
      }
      if (k > 0) {
        int producers = network.weightShapes().get(k - 1).outputs();
        int span = row / producers;
        for (int unit = 0; unit < producers; unit++) {
          if (random.nextDouble() < 0.3) {
            for (int o = 0; o < shape.outputs(); o++) {
              for (int s = 0; s < span; s++) {
                params[weights.offset() + o * row + unit * span + s] = 0f;
              }
            }
          }
        }
      }
    }
    return new MeanNetwork(spec, network, params);
  }

  private static float[] logits(MeanNetwork m, float[] inputs, int n) {
    float[] out = new float[n * m.network().classes()];
    try (GradientEngine engine = new GradientEngine(m.network(), 1, n)) {
      engine.predict(m.params(), inputs, 0, n, out);
    }
    return out;
  }

  private static void assertSameOutputs(MeanNetwork before, MeanNetwork after, long seed) {
    int n = 16;
    float[] inputs = new float[n * before.network().inputSize()];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = (float) random.nextGaussian();
    }
    assertArrayEquals(logits(before, inputs, n), logits(after, inputs, n), 1e-4f);
  }

  @Test
  void denseNetworkLosesDeadNeuronsAndKeepsItsOutputs() {
    for (long seed = 1; seed <= 5; seed++) {
      MeanNetwork masked = masked("dense(12) relu dense(9) relu dense(4)", 1, 5, seed);
      UnitPruner.Result result = UnitPruner.prune(masked);
      assertSameOutputs(masked, result.network(), seed);
      assertTrue(result.network().network().parameterCount() < masked.network().parameterCount(),
          "seed " + seed + " removed nothing");
      assertEquals(4, result.keptUnits()[2].length, "the classes stay");
    }
  }

  @Test
  void convolutionalNetworkLosesDeadChannelsAndKeepsItsOutputs() {
    for (long seed = 1; seed <= 5; seed++) {
      MeanNetwork masked = masked("conv(6,3) relu maxpool(2) conv(5,2) relu flatten dense(7) relu dense(4)", 2, 10,
          seed);
      UnitPruner.Result result = UnitPruner.prune(masked);
      assertSameOutputs(masked, result.network(), seed);
      assertTrue(result.network().network().parameterCount() < masked.network().parameterCount());
    }
  }

  @Test
  void constantsAreNotFoldedIntoAPaddedConvolution() {
    for (long seed = 1; seed <= 5; seed++) {
      MeanNetwork masked = masked("conv(6,3) relu conv(5,3,pad=1) relu flatten dense(4)", 1, 7, seed);
      assertSameOutputs(masked, UnitPruner.prune(masked).network(), seed);
    }
  }

  @Test
  void aUnitWithNoReaderGoesAndAChainOfDeadUnitsGoesToo() {
    NetworkSpec spec = NetworkSpec.parse("dense(3) relu dense(3) relu dense(4)");
    Network network = spec.build(1, 1, 2, 4, LayerFactory.DETERMINISTIC);
    float[] params = network.initialParameters(3);
    // Unit 2 of layer 2 reads only unit 1 of layer 1; nothing reads unit 2 of layer 2.
    ParamBlock w2 = network.block(network.weightLayers()[1], ParamKind.WEIGHT);
    ParamBlock w3 = network.block(network.weightLayers()[2], ParamKind.WEIGHT);
    for (int o = 0; o < 3; o++) {
      params[w2.offset() + o * 3 + 1] = o == 2 ? 1f : 0f;
    }
    params[w2.offset() + 2 * 3] = 0f;
    params[w2.offset() + 2 * 3 + 2] = 0f;
    for (int o = 0; o < 4; o++) {
      params[w3.offset() + o * 3 + 2] = 0f;
    }
    MeanNetwork masked = new MeanNetwork(spec, network, params);
    UnitPruner.Result result = UnitPruner.prune(masked);
    assertArrayEquals(new int[] {0, 2}, result.keptUnits()[0]);
    assertArrayEquals(new int[] {0, 1}, result.keptUnits()[1]);
    assertSameOutputs(masked, result.network(), 3);
  }
}
