package io.turbovbi.spark.ml;

import io.turbovbi.bayes.VariationalLayers;
import io.turbovbi.compress.OnnxExport;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.output.HistoryCsv;
import io.turbovbi.output.JsonLine;
import io.turbovbi.output.Npy;
import io.turbovbi.output.RunOutput;
import io.turbovbi.report.RunReport;
import io.turbovbi.spark.pipeline.CompressionMetrics;
import io.turbovbi.spark.pipeline.CompressionPipeline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * The files of a compression run's result directory, written in one atomic step (see {@link RunOutput}): the Spark ML
 * model, model.onnx, metrics.json, history.csv, the masks, q(s = 1), the variational state and report.html.
 */
final class ResultFiles {
  /** What the run made, and what it is written as. */
  record Contents(CompressionPipeline.Result result, CompressionMetrics.Structure structure, JsonLine metrics,
                  Map<String, Double> testAccuracy, CompressedNetworkModel model, String title) {}

  private final CompressionPipeline.Settings settings;
  private final Network network;

  /** @param network the deterministic network the run compressed */
  ResultFiles(CompressionPipeline.Settings settings, Network network) {
    this.settings = settings;
    this.network = network;
  }

  void write(RunOutput output, SparkSession session, Contents contents) {
    CompressionPipeline.Result result = contents.result();
    List<WeightShape> shapes = network.weightShapes();
    output.writeResult(directory -> {
      directory.file("metrics.json", o -> o.write((contents.metrics() + "\n").getBytes(StandardCharsets.UTF_8)));
      if (!result.history().isEmpty()) {
        directory.file("history.csv", HistoryCsv.of(result.history()));
      }
      if (result.variationalParams() != null) {
        directory.file("variational/params.npy", Npy.floats(result.variationalParams(),
            result.variationalParams().length));
        directory.file("variational/network.json", o -> o.write((layoutJson() + "\n")
            .getBytes(StandardCharsets.UTF_8)));
      }
      for (int k = 0; k < shapes.size(); k++) {
        int[] dims = shapes.get(k).dims();
        directory.file(String.format("mask/layer-%d.npy", k + 1), Npy.booleans(result.masks()[k], dims));
        if (result.pit() != null) {
          directory.file(String.format("pit/layer-%d.npy", k + 1), Npy.doubles(result.pit()[k], dims));
        }
      }
      contents.model().write().session(session).save(directory.path("model"));
      directory.file("model.onnx", o -> o.write(OnnxExport.toBytes(result.fineTuned(), "turbovbi",
          contents.model().onnxMetadata())));
      directory.file("report.html", o -> o.write(report(contents).getBytes(StandardCharsets.UTF_8)));
    });
  }

  private String report(Contents contents) {
    CompressionPipeline.Result result = contents.result();
    CompressionMetrics.Structure structure = contents.structure();
    List<RunReport.LayerView> layers = new ArrayList<>();
    int[] weightLayers = network.weightLayers();
    for (int k = 0; k < weightLayers.length; k++) {
      ParamBlock block = result.masked().network().block(weightLayers[k], ParamKind.WEIGHT);
      layers.add(new RunReport.LayerView("Layer " + (k + 1) + ": " + network.layers().get(weightLayers[k])
          .describe(), network.weightShapes().get(k), Arrays.copyOfRange(result.masked().params(),
          block.offset(), block.end()), result.pit() == null ? null : result.pit()[k], result.masks()[k],
          structure.masked().get(k)));
    }
    long weights = structure.weights();
    long nonZeros = structure.nonZeros();
    long denseFlops = structure.denseFlops();
    long compressedFlops = structure.compressedFlops();
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("method", result.method().name().toLowerCase(Locale.ROOT));
    summary.put("network", network.describe());
    summary.put("compressed network", result.fineTuned().network().describe());
    long kept = structure.compressedNonZeros();
    summary.put("weights kept", String.format(Locale.ROOT, "%,d of %,d after unit removal (%.1fx); the mask kept %,d "
        + "(%.1fx)", kept, weights, (double) weights / Math.max(1, kept), nonZeros,
        (double) weights / Math.max(1, nonZeros)));
    summary.put("FLOPs per sample", String.format(Locale.ROOT, "%,d dense, %,d compressed (%.1fx fewer)",
        denseFlops, compressedFlops, (double) denseFlops / Math.max(1, compressedFlops)));
    summary.put("validation accuracy", CompressionMetrics.accuracies(result.validationAccuracy()));
    summary.put("test accuracy", contents.testAccuracy().isEmpty() ? "not evaluated (tuning run)"
        : CompressionMetrics.accuracies(contents.testAccuracy()));
    summary.put("seconds", result.seconds().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f",
        e.getKey().replace('_', ' '), e.getValue())).collect(Collectors.joining(", ")));
    return RunReport.html(contents.title(), summary, result.history(), layers, List.of());
  }

  /** Where each block of the variational parameter vector lies. */
  private JsonLine layoutJson() {
    Network variational = NetworkSpec.parse(settings.description()).build(network.channels(), network.height(),
        network.width(), network.classes(), new VariationalLayers(settings.initialLogVar()));
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (ParamBlock block : variational.blocks()) {
      blocks.add(Map.of("layer", block.layer() + 1, "kind", block.kind().name().toLowerCase(Locale.ROOT),
          "offset", block.offset(), "length", block.length()));
    }
    return new JsonLine().put("description", settings.description())
        .put("layers", variational.describe())
        .put("input", new int[] {network.channels(), network.height(), network.width()})
        .put("classes", network.classes()).put("blocks", blocks);
  }
}
