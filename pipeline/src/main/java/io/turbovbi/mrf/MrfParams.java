package io.turbovbi.mrf;

/**
 * Per-layer parameters of the support prior and of Module B's message passing (DESIGN 1 and 2).
 *
 * @param mode        grid, rows or iid
 * @param rowP01      P(1|0) of the row chains, in (0, 1)
 * @param rowP10      P(0|1) of the row chains, in (0, 1)
 * @param colP01      P(1|0) of the column chains, in (0, 1) (used in grid mode only)
 * @param colP10      P(0|1) of the column chains, in (0, 1) (used in grid mode only)
 * @param damping     loopy-BP damping d in [0, 1): new message log-odds = d old + (1 - d) computed
 * @param schedule    loopy-BP update order
 * @param maxSweeps   loopy-BP sweep limit per call, at least 1
 * @param tolerance   loopy-BP stops when the largest message change (log-odds) is below this, &gt; 0
 * @param warmStart   whether loopy BP starts from the previous call's messages
 */
public record MrfParams(MrfMode mode, double rowP01, double rowP10, double colP01, double colP10, double damping,
                        BpSchedule schedule, int maxSweeps, double tolerance, boolean warmStart) {

  public static final double DEFAULT_DAMPING = 0.5;
  public static final int DEFAULT_MAX_SWEEPS = 100;
  public static final double DEFAULT_TOLERANCE = 1e-4;

  public MrfParams {
    if (mode == null || schedule == null) {
      throw new IllegalArgumentException("mode and schedule must be given, got " + mode + ", " + schedule);
    }
    requireProbability("rowP01", rowP01);
    requireProbability("rowP10", rowP10);
    requireProbability("colP01", colP01);
    requireProbability("colP10", colP10);
    if (!(damping >= 0 && damping < 1)) {
      throw new IllegalArgumentException("damping must be in [0, 1), got " + damping);
    }
    if (maxSweeps < 1) {
      throw new IllegalArgumentException("maxSweeps must be at least 1, got " + maxSweeps);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
    }
  }

  /**
   * Rows and columns with the same (p01, p10), default damping, flooding schedule, default sweep limit and
   * tolerance, warm start on.
   */
  public static MrfParams of(MrfMode mode, double p01, double p10) {
    return new MrfParams(mode, p01, p10, p01, p10, DEFAULT_DAMPING, BpSchedule.DEFAULT, DEFAULT_MAX_SWEEPS,
        DEFAULT_TOLERANCE, true);
  }

  /** These parameters with another mode. */
  public MrfParams withMode(MrfMode other) {
    return new MrfParams(other, rowP01, rowP10, colP01, colP10, damping, schedule, maxSweeps, tolerance, warmStart);
  }

  /** lambda = p01 / (p01 + p10) of the row chains: the target active share (DESIGN 1). */
  public double rowLambda() {
    return rowP01 / (rowP01 + rowP10);
  }

  ChainFactor rowFactor() {
    return new ChainFactor(rowP01, rowP10);
  }

  ChainFactor colFactor() {
    return new ChainFactor(colP01, colP10);
  }

  private static void requireProbability(String name, double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1), got " + p);
    }
  }
}
