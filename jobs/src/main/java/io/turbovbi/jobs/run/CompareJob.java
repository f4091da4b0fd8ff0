package io.turbovbi.jobs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.output.JsonLine;
import io.turbovbi.report.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Compares finished runs (their {@code metrics.json}): a table and charts of compression, test accuracy after
 * fine-tuning, 8x8 tile occupancy and FLOPs reduction, as an HTML page, and one JSON line per run.
 */
public final class CompareJob {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;
  private final boolean json;

  public CompareJob(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  public void run(List<String> results, String page) {
    Configuration hadoop = new Configuration();
    List<RunReport.MethodFigures> figures = new ArrayList<>();
    for (String result : results) {
      JsonNode metrics = read(hadoop, result + "/metrics.json");
      double weights = 0;
      double occupied = 0;
      for (JsonNode layer : metrics.path("layers")) {
        weights += layer.path("weights").asDouble();
        occupied += layer.path("weights").asDouble() * layer.path("tile_occupancy_8").asDouble();
      }
      String label = new Path(result).getParent().getName();
      RunReport.MethodFigures row = new RunReport.MethodFigures(label, metrics.path("compression").asDouble(),
          metrics.path("accuracy").path("test").path("fine_tuned").asDouble(Double.NaN), occupied / weights,
          metrics.path("flops").path("reduction").asDouble(), metrics.path("compressed_network").asText());
      figures.add(row);
      if (json) {
        out.println(new JsonLine().put("run", label).put("method", metrics.path("method").asText())
            .put("compression", row.compression()).put("test_accuracy", row.testAccuracy())
            .put("tile_occupancy_8", row.tileOccupancy8()).put("flops_reduction", row.flopsReduction())
            .put("compressed_network", row.network()));
      } else {
        out.printf(Locale.ROOT, "%-22s %-9s %7.1fx  test %.4f  8x8 tiles %5.1f%%  FLOPs %6.1fx  %s%n", label,
            metrics.path("method").asText(), row.compression(), row.testAccuracy(), 100 * row.tileOccupancy8(),
            row.flopsReduction(), row.network());
      }
    }
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("runs", String.join(", ", results));
    String html = RunReport.comparisonPage("turbovbi: methods compared", summary, figures);
    Path target = new Path(page);
    try (OutputStream stream = target.getFileSystem(hadoop).create(target, true)) {
      stream.write(html.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("cannot write " + page + ": " + e.getMessage());
    }
  }

  private static JsonNode read(Configuration hadoop, String file) {
    Path path = new Path(file);
    try (InputStream in = path.getFileSystem(hadoop).open(path)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
