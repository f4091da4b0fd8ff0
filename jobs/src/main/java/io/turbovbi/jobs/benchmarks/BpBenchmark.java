package io.turbovbi.jobs.benchmarks;

import io.turbovbi.mrf.BeliefPropagationBenchmark;
import io.turbovbi.mrf.BpSchedule;
import io.turbovbi.mrf.LayerGeometry;
import io.turbovbi.mrf.SupportGrid;
import io.turbovbi.output.JsonLine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loopy belief propagation speed, one core: on the support grids of LeNet-5's conv2 and of an 800x500 dense layer
 * (flooding schedule), and on the graph-mode graphs of LeNet-300-100 and LeNet-5.
 */
public final class BpBenchmark {
  private BpBenchmark() {}

  /** Runs {@code sweeps} sweeps on each grid and graph and prints one line (or JSON object) per result. */
  public static void run(int sweeps, PrintStream out, boolean json) {
    List<BeliefPropagationBenchmark.Result> results = new ArrayList<>();
    for (SupportGrid grid : List.of(SupportGrid.conv(50, 20, 5), SupportGrid.dense(500, 800))) {
      results.add(BeliefPropagationBenchmark.run(grid, BpSchedule.FLOODING, sweeps, 1));
    }
    results.add(BeliefPropagationBenchmark.runGraph("graph lenet300", List.of(LayerGeometry.denseOnImage(300, 1, 28,
        28), LayerGeometry.dense(100, 300), LayerGeometry.dense(10, 100)), sweeps, 1));
    results.add(BeliefPropagationBenchmark.runGraph("graph lenet5", List.of(LayerGeometry.conv(20, 1, 5),
        LayerGeometry.conv(50, 20, 5), LayerGeometry.denseOnImage(500, 50, 4, 4), LayerGeometry.dense(10, 500)),
        sweeps, 1));
    for (BeliefPropagationBenchmark.Result r : results) {
      boolean graph = r.grid().startsWith("graph");
      if (json) {
        out.println(new JsonLine().put("benchmark", "loopy-bp").put("grid", r.grid())
            .put(graph ? "variables" : "rows", r.rows()).put(graph ? "edges" : "cols", r.cols())
            .put("schedule", r.schedule().toString()).put("sweeps", r.sweeps()).put("seconds", r.seconds())
            .put("edge_messages_per_s", r.edgeMessagesPerSecond()));
      } else {
        out.printf(Locale.ROOT, "%-28s %,9d %s %,9d %s %3d sweeps  %.3f s  %,.0f edge-messages/s%n", r.grid(),
            r.rows(), graph ? "variables" : "rows", r.cols(), graph ? "edges" : "cols", r.sweeps(), r.seconds(),
            r.edgeMessagesPerSecond());
      }
    }
  }
}
