package io.turbovbi.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sparse forward passes give the engine's logits, whatever the density of each layer. */
class SparseInferenceTest {
  private static void assertSameAsEngine(String description, int channels, int side, double keep, int n) {
    NetworkSpec spec = NetworkSpec.parse(description);
    Network network = spec.build(channels, side, side, 5, LayerFactory.DETERMINISTIC);
    float[] params = network.initialParameters(2);
    SplittableRandom random = new SplittableRandom(3);
    for (ParamBlock block : network.blocks()) {
      if (block.kind() == ParamKind.WEIGHT) {
        for (int i = block.offset(); i < block.end(); i++) {
          if (random.nextDouble() > keep) {
            params[i] = 0f;
          }
        }
      } else {
        for (int i = block.offset(); i < block.end(); i++) {
          params[i] = (float) random.nextGaussian() * 0.1f;
        }
      }
    }
    float[] inputs = new float[n * network.inputSize()];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = (float) random.nextDouble();
    }
    float[] expected = new float[n * 5];
    try (GradientEngine engine = new GradientEngine(network, 1, n)) {
      engine.predict(params, inputs, 0, n, expected);
    }
    SparseInference sparse = new SparseInference(new MeanNetwork(spec, network, params));
    assertArrayEquals(expected, sparse.predict(inputs, 0, n), 1e-4f);
    if (n > 1) {
      assertArrayEquals(java.util.Arrays.copyOfRange(expected, 5, 5 * n), sparse.predict(inputs, 1, n - 1), 1e-4f,
          "rows from the second on");
    }
  }

  @Test
  void sparseDenseLayersMatchTheEngine() {
    assertSameAsEngine("dense(20) relu dense(7) relu dense(5)", 1, 6, 0.1, 9);
    assertSameAsEngine("dense(20) relu dense(7) relu dense(5)", 1, 6, 0.1, 1);
  }

  @Test
  void sparseAndDenseConvolutionsMatchTheEngine() {
    assertSameAsEngine("conv(6,3) relu maxpool(2) conv(4,3,pad=1) relu flatten dense(8) relu dense(5)", 2, 10,
        0.15, 7);
    assertSameAsEngine("conv(6,3) relu maxpool(2) conv(4,3,pad=1) relu flatten dense(8) relu dense(5)", 2, 10, 0.9,
        3);
  }

  @Test
  void sparseStridedPaddedConvolutionsMatchTheEngine() {
    assertSameAsEngine("conv(5,3,stride=2,pad=1) relu conv(4,2,stride=3,pad=2) relu flatten dense(5)", 3, 11, 0.2,
        4);
  }

  @Test
  void poolingWindowsOtherThanTwoByTwoMatchTheEngine() {
    assertSameAsEngine("conv(4,3) relu maxpool(3,stride=2) flatten dense(5)", 2, 11, 0.3, 5);
    assertSameAsEngine("conv(4,3) relu maxpool(2,stride=1) flatten dense(5)", 1, 8, 0.3, 3);
  }

  @Test
  void aKernelOffsetThatOnlyEverSeesPaddingContributesNothing() {
    // a 5x5 kernel with padding 2 on a 1x1 map: only its centre weight ever meets the input
    assertSameAsEngine("conv(3,5,pad=2) relu flatten dense(5)", 2, 1, 0.9, 4);
  }

  @Test
  void batchesLargerThanAChunkMatchTheEngine() {
    assertSameAsEngine("conv(6,3) relu maxpool(2) flatten dense(8) relu dense(5)", 1, 8, 0.2, 70);
  }
}
