package io.turbovbi.mrf;

import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Throughput of loopy BP on a layer's support grid: a fixed number of flooding sweeps on random unary log-odds,
 * counted in directed edge-messages per second (one message update = one edge-message). Single-threaded.
 */
public final class BeliefPropagationBenchmark {

  /** Chain parameters of the benchmark: the regression defaults of DESIGN 2 (strongly clustered). */
  static final double P01 = 0.03;
  static final double P10 = 0.22;
  /** Chain parameters of the graph benchmark: the job's defaults, below the critical coupling. */
  static final double GRAPH_P01 = 0.25;
  static final double GRAPH_P10 = 0.625;
  /** Standard deviation of the random unary log-odds. */
  static final double UNARY_SCALE = 3.0;

  /**
   * One measurement.
   *
   * @param grid                     name of the grid
   * @param schedule                 loopy-BP schedule
   * @param rows                     grid rows
   * @param cols                     grid columns
   * @param sweeps                   sweeps timed
   * @param seconds                  wall time of the timed sweeps
   * @param edgeMessagesPerSecond    directed message updates per second
   */
  public record Result(String grid, BpSchedule schedule, int rows, int cols, int sweeps, double seconds,
                       double edgeMessagesPerSecond) {
  }

  private BeliefPropagationBenchmark() {
  }

  /**
   * Runs {@code sweeps} untimed sweeps (JIT warm-up) and then {@code sweeps} timed sweeps of damped (0.5) loopy
   * BP with the given schedule on the grid, from cold messages, with unary log-odds drawn from N(0, 3^2).
   */
  public static Result run(SupportGrid grid, BpSchedule schedule, int sweeps, long seed) {
    if (sweeps < 1) {
      throw new IllegalArgumentException("sweeps must be at least 1, got " + sweeps);
    }
    Random random = new Random(seed);
    double[] localOdds = new double[grid.size()];
    for (int i = 0; i < localOdds.length; i++) {
      localOdds[i] = Math.exp(UNARY_SCALE * random.nextGaussian());
    }
    ChainFactor factor = new ChainFactor(P01, P10);
    GridBeliefPropagation bp = new GridBeliefPropagation(grid.rows(), grid.cols(), factor, factor,
        MrfParams.DEFAULT_DAMPING, schedule);
    // a tolerance of 0 is never met, so exactly `sweeps` sweeps run
    bp.run(localOdds, sweeps, 0.0);
    bp.reset();
    long start = System.nanoTime();
    bp.run(localOdds, sweeps, 0.0);
    double seconds = (System.nanoTime() - start) * 1e-9;
    double messages = (double) grid.directedMessagesPerSweep() * sweeps;
    return new Result(grid.name(), schedule, grid.rows(), grid.cols(), sweeps, seconds, messages / seconds);
  }

  /**
   * The same measurement on the graph-mode support graph of a network (DESIGN 1): {@code sweeps} untimed and then
   * {@code sweeps} timed damped (0.5) flooding sweeps from cold messages, unary log-odds N(0, 3^2) on the weights,
   * grid chains (p01, p10) = (0.25, 0.625) below the critical coupling, default gate prior and leak. "rows" reports
   * the graph's variables, "cols" its edges.
   */
  public static Result runGraph(String name, List<LayerGeometry> layers, int sweeps, long seed) {
    if (sweeps < 1) {
      throw new IllegalArgumentException("sweeps must be at least 1, got " + sweeps);
    }
    SupportGraph graph = SupportGraph.of(layers, Collections.nCopies(layers.size(),
        MrfParams.of(MrfMode.GRAPH, GRAPH_P01, GRAPH_P10)));
    Random random = new Random(seed);
    double[] local = graph.field.clone();
    for (int k = 0; k < graph.layers(); k++) {
      for (int w = 0; w < graph.weightCount(k); w++) {
        local[graph.weightOffset(k) + w] += UNARY_SCALE * random.nextGaussian();
      }
    }
    GraphBeliefPropagation bp = new GraphBeliefPropagation(graph, MrfParams.DEFAULT_DAMPING);
    bp.run(local, sweeps, 0.0);
    bp.reset();
    long start = System.nanoTime();
    bp.run(local, sweeps, 0.0);
    double seconds = (System.nanoTime() - start) * 1e-9;
    double messages = (double) bp.directedMessagesPerSweep() * sweeps;
    return new Result(name, BpSchedule.FLOODING, graph.variables, graph.edges(), sweeps, seconds,
        messages / seconds);
  }
}
