package io.turbovbi.jobs;

import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.compress.StructureMetrics;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.spark.CompressionPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The metrics.json of a compression run (DESIGN 5): sizes, structure, FLOPs, accuracies, times. */
final class CompressionMetrics {
  private CompressionMetrics() {}

  static JsonLine of(CompressionPipeline.Result result, Map<String, Double> testAccuracy) {
    MeanNetwork masked = result.masked();
    Network network = masked.network();
    List<StructureMetrics.LayerMetrics> layers = StructureMetrics.of(network, masked.params());
    MeanNetwork small = result.fineTuned();
    List<StructureMetrics.LayerMetrics> smallLayers = StructureMetrics.of(small.network(), small.params());
    List<WeightShape> shapes = network.weightShapes();
    List<JsonLine> perLayer = new ArrayList<>();
    long weights = 0;
    long nonZeros = 0;
    long denseFlops = 0;
    long sparseFlops = 0;
    for (int k = 0; k < layers.size(); k++) {
      StructureMetrics.LayerMetrics m = layers.get(k);
      WeightShape shape = shapes.get(k);
      weights += m.weights();
      nonZeros += m.nonZeros();
      denseFlops += m.denseFlops();
      sparseFlops += smallLayers.get(k).sparseFlops();
      perLayer.add(new JsonLine().put("layer", k + 1).put("kind", shape.convolutional() ? "conv" : "dense")
          .put("shape", shape.convolutional() ? new int[] {shape.outputs(), shape.inputs(), shape.kernel(),
              shape.kernel()} : new int[] {shape.outputs(), shape.inputs()})
          .put("weights", m.weights()).put("nonzeros", m.nonZeros()).put("compression", m.compression())
          .put("units", shape.outputs()).put("units_kept", result.pruned().keptUnits()[k].length)
          .put("inputs_kept", inputsKept(result, k, shape))
          .put("runs_per_row", m.runsPerRow()).put("tile_occupancy_4", m.tileOccupancy4())
          .put("tile_occupancy_8", m.tileOccupancy8()).put("dense_flops", m.denseFlops())
          .put("compressed_flops", smallLayers.get(k).sparseFlops()));
    }
    long biases = network.blocks().stream().filter(b -> b.kind() == ParamKind.BIAS)
        .mapToLong(ParamBlock::length).sum();
    return new JsonLine().put("method", result.method().name().toLowerCase(java.util.Locale.ROOT))
        .put("network", network.describe()).put("compressed_network", small.network().describe())
        .put("weights", weights).put("nonzeros", nonZeros)
        .put("compression", nonZeros == 0 ? null : (double) weights / nonZeros).put("biases", biases)
        .put("accuracy", new JsonLine().put("validation", result.validationAccuracy()).put("test", testAccuracy))
        .put("flops", new JsonLine().put("dense", denseFlops).put("compressed", sparseFlops)
            .put("compressed_dense_layers", 2 * small.network().forwardMultiplyAdds())
            .put("reduction", sparseFlops == 0 ? null : (double) denseFlops / sparseFlops))
        .put("layers", perLayer).put("seconds", result.seconds());
  }

  /**
   * Inputs of layer k still read: the previous layer's kept units, or for the first layer the input pixels (dense)
   * or channels (conv) that any non-zero weight reads.
   */
  private static int inputsKept(CompressionPipeline.Result result, int k, WeightShape shape) {
    if (k > 0) {
      return result.pruned().keptUnits()[k - 1].length;
    }
    Network network = result.masked().network();
    ParamBlock weights = network.block(network.weightLayers()[0], ParamKind.WEIGHT);
    int span = shape.kernel() * shape.kernel();
    int kept = 0;
    for (int input = 0; input < shape.inputs(); input++) {
      boolean read = false;
      for (int o = 0; o < shape.outputs() && !read; o++) {
        int start = weights.offset() + (o * shape.inputs() + input) * span;
        for (int i = start; i < start + span && !read; i++) {
          read = result.masked().params()[i] != 0f;
        }
      }
      kept += read ? 1 : 0;
    }
    return kept;
  }
}
