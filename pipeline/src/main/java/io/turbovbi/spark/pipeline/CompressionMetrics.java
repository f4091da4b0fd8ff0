package io.turbovbi.spark.pipeline;

import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.compress.StructureMetrics;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.output.JsonLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of metrics.json of a compression run (DESIGN 5): sizes, structure, FLOPs, accuracies, times. */
public final class CompressionMetrics {
  private CompressionMetrics() {}

  /** The structure metrics of the masked network and of the compressed (fine-tuned) one, layer by layer. */
  public record Structure(List<StructureMetrics.LayerMetrics> masked, List<StructureMetrics.LayerMetrics> compressed) {
    public static Structure of(CompressionPipeline.Result result) {
      return new Structure(StructureMetrics.of(result.masked().network(), result.masked().params()),
          StructureMetrics.of(result.fineTuned().network(), result.fineTuned().params()));
    }

    public long weights() {
      return masked.stream().mapToLong(StructureMetrics.LayerMetrics::weights).sum();
    }

    public long nonZeros() {
      return masked.stream().mapToLong(StructureMetrics.LayerMetrics::nonZeros).sum();
    }

    public long denseFlops() {
      return masked.stream().mapToLong(StructureMetrics.LayerMetrics::denseFlops).sum();
    }

    public long compressedNonZeros() {
      return compressed.stream().mapToLong(StructureMetrics.LayerMetrics::nonZeros).sum();
    }

    public long compressedFlops() {
      return compressed.stream().mapToLong(StructureMetrics.LayerMetrics::sparseFlops).sum();
    }
  }

  public static JsonLine of(CompressionPipeline.Result result, Structure structure, Map<String, Double> testAccuracy) {
    Network network = result.masked().network();
    MeanNetwork small = result.fineTuned();
    List<StructureMetrics.LayerMetrics> layers = structure.masked();
    List<StructureMetrics.LayerMetrics> smallLayers = structure.compressed();
    List<WeightShape> shapes = network.weightShapes();
    List<JsonLine> perLayer = new ArrayList<>();
    for (int k = 0; k < layers.size(); k++) {
      StructureMetrics.LayerMetrics m = layers.get(k);
      WeightShape shape = shapes.get(k);
      perLayer.add(new JsonLine().put("layer", k + 1).put("kind", shape.convolutional() ? "conv" : "dense")
          .put("shape", shape.dims())
          .put("weights", m.weights()).put("nonzeros", m.nonZeros())
          .put("nonzeros_after_removal", smallLayers.get(k).nonZeros()).put("compression", m.compression())
          .put("units", shape.outputs()).put("units_kept", result.pruned().keptUnits()[k].length)
          .put("inputs_kept", inputsKept(result, k, shape))
          .put("runs_per_row", m.runsPerRow()).put("tile_occupancy_4", m.tileOccupancy4())
          .put("tile_occupancy_8", m.tileOccupancy8()).put("dense_flops", m.denseFlops())
          .put("compressed_flops", smallLayers.get(k).sparseFlops()));
    }
    long weights = structure.weights();
    long nonZeros = structure.nonZeros();
    long denseFlops = structure.denseFlops();
    long sparseFlops = structure.compressedFlops();
    long biases = network.blocks().stream().filter(b -> b.kind() == ParamKind.BIAS)
        .mapToLong(ParamBlock::length).sum();
    return new JsonLine().put("method", result.method().name().toLowerCase(Locale.ROOT))
        .put("network", network.describe()).put("compressed_network", small.network().describe())
        .put("weights", weights).put("nonzeros", nonZeros)
        .put("compression", nonZeros == 0 ? null : (double) weights / nonZeros)
        .put("compression_after_removal", (double) weights / Math.max(1, structure.compressedNonZeros()))
        .put("biases", biases)
        .put("accuracy", new JsonLine().put("validation", result.validationAccuracy()).put("test", testAccuracy))
        .put("flops", new JsonLine().put("dense", denseFlops).put("compressed", sparseFlops)
            .put("compressed_dense_layers", 2 * small.network().forwardMultiplyAdds())
            .put("reduction", sparseFlops == 0 ? null : (double) denseFlops / sparseFlops))
        .put("layers", perLayer).put("seconds", result.seconds());
  }

  /** Accuracies by network as people read them, e.g. "dense 0.8512, fine-tuned 0.8433". */
  public static String accuracies(Map<String, Double> accuracy) {
    return accuracy.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.4f",
        e.getKey().replace('_', '-'), e.getValue())).collect(Collectors.joining(", "));
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
