package io.turbovbi.jobs;

import io.turbovbi.compress.OnnxExport;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.report.RunReport;
import io.turbovbi.spark.CompressedNetworkModel;
import io.turbovbi.spark.CompressionPipeline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/** The files of a compression run's result directory, written in one atomic step (see {@link RunOutput}). */
final class ResultFiles {
  /** How the IDX readers (and the built-in sample) turn pixels into features. */
  static final String IDX_SCALING = "pixel / 255";
  private final Config config;

  ResultFiles(Config config) {
    this.config = config;
  }

  /** Writes the result directory: model, ONNX, metrics, history, masks, q(s=1), variational state, report. */
  void write(RunOutput output, SparkSession session, CompressionPipeline.Result result,
             CompressionMetrics.Structure structure, JsonLine metrics, Map<String, Double> testAccuracy,
             Network network) {
    List<WeightShape> shapes = network.weightShapes();
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("method", result.method().name().toLowerCase(Locale.ROOT));
    provenance.put("original_network", network.describe());
    provenance.put("original_description", config.required(ConfigKeys.NETWORK));
    provenance.put("data", config.text(ConfigKeys.DATA_FORMAT) + " " + String.valueOf(config.text(
        ConfigKeys.DATA_TRAIN)));
    provenance.put("seed", Long.toString(config.longValue(ConfigKeys.SEED)));
    provenance.put("created", java.time.Instant.now().toString());
    CompressedNetworkModel model = CompressedNetworkModel.of(result.fineTuned(), provenance)
        .withSettingsOf(ParamKeys.compressor(config));
    String format = config.text(ConfigKeys.DATA_FORMAT);
    if (format.equals("builtin") || format.equals("idx")) {
      model.setInputScaling(IDX_SCALING);
    }
    if (format.equals("builtin")) {
      model.setClassLabels(BuiltInSample.CLASS_NAMES.toArray(new String[0]));
    }
    output.writeResult(directory -> {
      directory.file("metrics.json", o -> o.write((metrics + "\n").getBytes(StandardCharsets.UTF_8)));
      if (!result.history().isEmpty()) {
        directory.file("history.csv", HistoryCsv.of(result.history()));
      }
      if (result.variationalParams() != null) {
        directory.file("variational/params.npy", Npy.floats(result.variationalParams(),
            result.variationalParams().length));
        directory.file("variational/network.json", o -> o.write((layoutJson(network) + "\n")
            .getBytes(StandardCharsets.UTF_8)));
      }
      for (int k = 0; k < shapes.size(); k++) {
        int[] dims = shapes.get(k).dims();
        directory.file(String.format("mask/layer-%d.npy", k + 1), Npy.booleans(result.masks()[k], dims));
        if (result.pit() != null) {
          directory.file(String.format("pit/layer-%d.npy", k + 1), Npy.doubles(result.pit()[k], dims));
        }
      }
      model.write().session(session).save(directory.path("model"));
      directory.file("model.onnx", o -> o.write(OnnxExport.toBytes(result.fineTuned(), "turbovbi",
          model.onnxMetadata())));
      directory.file("report.html", o -> o.write(report(result, structure, testAccuracy, network)
          .getBytes(StandardCharsets.UTF_8)));
    });
  }

  private String report(CompressionPipeline.Result result, CompressionMetrics.Structure structure,
                        Map<String, Double> testAccuracy, Network network) {
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
    summary.put("validation accuracy", accuracies(result.validationAccuracy()));
    summary.put("test accuracy", testAccuracy.isEmpty() ? "not evaluated (tuning run)" : accuracies(testAccuracy));
    summary.put("seconds", result.seconds().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f",
        e.getKey().replace('_', ' '), e.getValue())).collect(Collectors.joining(", ")));
    return RunReport.html("turbovbi compress: " + config.required(ConfigKeys.OUTPUT), summary, result.history(),
        layers, List.of());
  }

  static String accuracies(Map<String, Double> accuracy) {
    return accuracy.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey().replace('_', '-'),
        e.getValue())).collect(Collectors.joining(", "));
  }

  /** Where each block of the variational parameter vector lies. */
  private JsonLine layoutJson(Network deterministic) {
    Network variational = Models.network(config, deterministic.channels(), deterministic.height(),
        deterministic.width(), deterministic.classes(), true);
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (ParamBlock block : variational.blocks()) {
      blocks.add(Map.of("layer", block.layer() + 1, "kind", block.kind().name().toLowerCase(Locale.ROOT),
          "offset", block.offset(), "length", block.length()));
    }
    return new JsonLine().put("description", config.required(ConfigKeys.NETWORK))
        .put("layers", variational.describe())
        .put("input", new int[] {deterministic.channels(), deterministic.height(), deterministic.width()})
        .put("classes", deterministic.classes()).put("blocks", blocks);
  }
}
