package io.turbovbi.mrf;

import java.util.Random;

/**
 * Throughput of loopy BP on a layer's support grid: a fixed number of flooding sweeps on random unary log-odds,
 * counted in directed edge-messages per second (one message update = one edge-message). Single-threaded.
 */
public final class BeliefPropagationBenchmark {

  /** Chain parameters of the benchmark: the regression defaults of DESIGN 2 (strongly clustered). */
  static final double P01 = 0.03;
  static final double P10 = 0.22;
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
}
