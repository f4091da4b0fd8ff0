package io.turbovbi.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.turbo.MaskCost;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The controller's count of what a mask keeps equals what unit removal then really leaves. */
class RemovalAwareCostTest {
  private static final String CNN = "conv(6,3) relu maxpool(2) conv(8,3) relu flatten dense(12) relu dense(4)";

  /** A mask that kills whole rows and input columns as well as single weights. */
  private static boolean[][] sparseMask(Network network, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] layers = network.weightLayers();
    boolean[][] masks = new boolean[layers.length][];
    for (int k = 0; k < layers.length; k++) {
      int outputs = network.weightShapes().get(k).outputs();
      int size = network.block(layers[k], ParamKind.WEIGHT).length();
      int row = size / outputs;
      masks[k] = new boolean[size];
      for (int o = 0; o < outputs; o++) {
        boolean deadRow = random.nextDouble() < 0.3;
        for (int i = 0; i < row; i++) {
          masks[k][o * row + i] = !deadRow && random.nextDouble() < 0.4;
        }
      }
    }
    return masks;
  }

  @Test
  void countsTheWeightsAndFlopsUnitRemovalLeaves() {
    for (String description : List.of("dense(20) relu dense(16) relu dense(4)", CNN)) {
      NetworkSpec spec = NetworkSpec.parse(description);
      Network network = spec.build(1, 12, 12, 4, LayerFactory.DETERMINISTIC);
      for (long seed = 1; seed <= 5; seed++) {
        boolean[][] masks = sparseMask(network, seed);
        float[] params = network.initialParameters(seed);
        int[] layers = network.weightLayers();
        for (int k = 0; k < layers.length; k++) {
          ParamBlock bias = network.block(layers[k], ParamKind.BIAS);
          for (int b = 0; b < bias.length(); b++) {
            params[bias.offset() + b] = 0.1f;
          }
        }
        MeanNetwork masked = new MeanNetwork(spec, network, io.turbovbi.turbo.Masks.apply(network, params, masks));
        MeanNetwork pruned = UnitPruner.prune(masked).network();
        List<StructureMetrics.LayerMetrics> metrics = StructureMetrics.of(pruned.network(), pruned.params());
        long weights = metrics.stream().mapToLong(StructureMetrics.LayerMetrics::nonZeros).sum();
        long flops = metrics.stream().mapToLong(StructureMetrics.LayerMetrics::sparseFlops).sum();
        MaskCost.Kept kept = new RemovalAwareCost(network).afterRemoval(masks);
        assertEquals(weights, kept.weights(), description + " seed " + seed);
        assertEquals(flops, kept.flops(), description + " seed " + seed);
      }
    }
  }

  @Test
  void aConvolutionWeightCostsTwoFlopsPerOutputPosition() {
    Network network = NetworkSpec.parse(CNN).build(1, 12, 12, 4, LayerFactory.DETERMINISTIC);
    // conv1: 10x10 outputs; pooled to 5x5; conv2: 3x3 outputs; then dense layers
    assertArrayEquals(new long[] {200, 18, 2, 2}, new RemovalAwareCost(network).flopsPerWeight());
  }
}
