package io.turbovbi.report;

import io.turbovbi.compress.StructureMetrics;
import io.turbovbi.mrf.SupportGrid;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.turbo.IterationRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html of a run: a single self-contained page (charts embedded as PNG) with the run's summary, the history
 * (accuracy, compression and active share per layer against iteration), for every weight layer the heat maps of
 * |mu| and of q(s = 1) on its support grid (convolutions as tiled kernels) and its structure metrics, and,
 * when given, the comparison of methods.
 */
public final class RunReport {
  private static final int WIDTH = 760;

  /** What the report shows of one weight layer. */
  public record LayerView(String name, WeightShape shape, float[] weights, double[] pit, boolean[] mask,
                          StructureMetrics.LayerMetrics metrics) {}

  /** One method's figures in a comparison. */
  public record MethodFigures(String method, double compression, double testAccuracy, double tileOccupancy8,
                              double flopsReduction, String network) {}

  private RunReport() {}

  public static String html(String title, Map<String, String> summary, List<IterationRecord> history,
                            List<LayerView> layers, List<MethodFigures> comparison) {
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title><style>body{font-family:sans-serif;max-width:1600px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}img{margin:4px}"
            + ".maps{display:flex;flex-wrap:wrap}</style></head><body>\n");
    page.append("<h1>").append(escape(title)).append("</h1>\n");
    table(page, List.of("", ""), summary.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList());
    if (!comparison.isEmpty()) {
      comparison(page, comparison);
    }
    if (!history.isEmpty()) {
      history(page, history);
    }
    page.append("<h2>Layers</h2>\n");
    for (LayerView layer : layers) {
      layer(page, layer);
    }
    page.append("</body></html>\n");
    return page.toString();
  }

  /** A page with only the comparison of methods (several runs on the same network and data). */
  public static String comparisonPage(String title, Map<String, String> summary, List<MethodFigures> methods) {
    return html(title, summary, List.of(), List.of(), methods).replace("<h2>Layers</h2>\n", "");
  }

  private static void history(StringBuilder page, List<IterationRecord> history) {
    page.append("<h2>History</h2>\n<p>Iteration 0 is the warm-up; accuracy is the mean network's on the "
        + "validation split, with and without the iteration's mask.</p>\n");
    history.stream().filter(IterationRecord::guardTripped).forEach(r -> page.append("<p class=\"guard\"><b>Accuracy "
        + "guard:</b> at iteration ").append(r.iteration()).append(" the masked network's validation accuracy ")
        .append(String.format(java.util.Locale.ROOT, "%.4f", r.heldOutAccuracy())).append(" fell more than the guard "
        + "below the warm-up's; the ramp stopped and the run held the last size that passed.</p>\n"));
    page.append("<div class=\"maps\">");
    double[] iterations = history.stream().mapToDouble(IterationRecord::iteration).toArray();
    page.append(image(Charts.lines("Validation accuracy", "outer iteration", "accuracy", List.of(
        new Charts.Series("masked", iterations,
            history.stream().mapToDouble(IterationRecord::heldOutAccuracy).toArray()),
        new Charts.Series("unmasked", iterations,
            history.stream().mapToDouble(IterationRecord::denseAccuracy).toArray())), WIDTH / 2 + 40, 320)));
    page.append(image(Charts.lines("Compression", "outer iteration", "all weights / kept weights", List.of(
        new Charts.Series("mask", iterations,
            history.stream().mapToDouble(IterationRecord::compression).toArray()),
        new Charts.Series("after unit removal", iterations,
            history.stream().mapToDouble(IterationRecord::prunedCompression).toArray())), WIDTH / 2 + 40, 320)));
    List<Charts.Series> shares = new ArrayList<>();
    int layers = history.get(0).activeShare().length;
    for (int k = 0; k < layers; k++) {
      int layer = k;
      shares.add(new Charts.Series("layer " + (k + 1), iterations,
          history.stream().mapToDouble(r -> r.activeShare()[layer]).toArray()));
    }
    page.append(image(Charts.lines("Share of active weights", "outer iteration", "share with q(s=1) > 0.5", shares,
        WIDTH / 2 + 40, 320)));
    page.append("</div>\n");
  }

  private static void layer(StringBuilder page, LayerView layer) {
    WeightShape shape = layer.shape();
    SupportGrid grid = shape.convolutional() ? SupportGrid.conv(shape.outputs(), shape.inputs(), shape.kernel())
        : SupportGrid.dense(shape.outputs(), shape.inputs());
    page.append("<h3>").append(escape(layer.name())).append("</h3>\n");
    StructureMetrics.LayerMetrics m = layer.metrics();
    table(page, List.of("weights", "non-zero", "compression", "rows kept", "runs per row", "4x4 tiles used",
        "8x8 tiles used"), List.of(List.of(Long.toString(m.weights()), Long.toString(m.nonZeros()),
        format(m.compression()) + "x", m.rowsWithNonZeros() + " / " + m.rows(), format(m.runsPerRow()),
        percent(m.tileOccupancy4()), percent(m.tileOccupancy8()))));
    page.append("<p>").append(shape.convolutional() ? "Kernels tiled on a (Cout x k) by (Cin x k) grid: tile (o, c) "
        + "is the kernel from input channel c to output channel o." : "Row i holds the incoming weights of output "
        + "neuron i.").append("</p>\n<div class=\"maps\">");
    double[] magnitude = new double[grid.size()];
    List<Double> kept = new ArrayList<>();
    for (int n = 0; n < layer.weights().length; n++) {
      double value = layer.mask()[n] ? Math.abs(layer.weights()[n]) : 0;
      magnitude[grid.nodeOf(n)] = value;
      if (value > 0) {
        kept.add(value);
      }
    }
    // The colour scale ends at the 90th percentile of the kept weights, so that a few large ones do not wash out
    // the rest.
    kept.sort(null);
    double top = kept.isEmpty() ? 1 : kept.get((int) (0.9 * (kept.size() - 1)));
    page.append(image(Charts.heatMap("|w| after masking", magnitude, grid.rows(), grid.cols(), 0, top, "|w|",
        WIDTH)));
    if (layer.pit() != null) {
      double[] pit = new double[grid.size()];
      for (int n = 0; n < layer.pit().length; n++) {
        pit[grid.nodeOf(n)] = layer.pit()[n];
      }
      page.append(image(Charts.heatMap("q(s = 1)", pit, grid.rows(), grid.cols(), 0, 1, "q(s=1)", WIDTH)));
    }
    page.append("</div>\n");
  }

  private static void comparison(StringBuilder page, List<MethodFigures> methods) {
    page.append("<h2>Methods compared</h2>\n");
    table(page, List.of("method", "compression", "test accuracy", "8x8 tiles used", "FLOPs reduction",
        "compressed network"), methods.stream().map(m -> List.of(m.method(), format(m.compression()) + "x",
        String.format(Locale.ROOT, "%.4f", m.testAccuracy()), percent(m.tileOccupancy8()),
        format(m.flopsReduction()) + "x", m.network())).toList());
    Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
    for (MethodFigures m : methods) {
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("compression (x)", m.compression());
      values.put("FLOPs reduction (x)", m.flopsReduction());
      bars.put(m.method(), values);
    }
    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    for (MethodFigures m : methods) {
      shares.put(m.method(), Map.of("test accuracy (%)", 100 * m.testAccuracy(), "8x8 tiles used (%)",
          100 * m.tileOccupancy8()));
    }
    page.append("<div class=\"maps\">").append(image(Charts.bars("Size", "", bars, WIDTH / 2 + 40, 320)))
        .append(image(Charts.bars("Accuracy and regularity", "%", shares, WIDTH / 2 + 40, 320))).append("</div>\n");
  }

  private static void table(StringBuilder page, List<String> header, List<List<String>> rows) {
    page.append("<table>");
    if (header.stream().anyMatch(h -> !h.isEmpty())) {
      page.append("<tr>");
      header.forEach(h -> page.append("<th>").append(escape(h)).append("</th>"));
      page.append("</tr>");
    }
    for (List<String> row : rows) {
      page.append("<tr>");
      row.forEach(cell -> page.append("<td>").append(escape(cell)).append("</td>"));
      page.append("</tr>");
    }
    page.append("</table>\n");
  }

  private static String image(String dataUri) {
    return "<img src=\"" + dataUri + "\">";
  }

  private static String format(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "-";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
