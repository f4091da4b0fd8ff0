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
 * @param gateAlive   graph mode: prior P(alive) of the layer's gate variables (units, kernels, filters, channels)
 * @param gateLeak    graph mode: P(s = 1 | gate dead) relative to P(s = 1 | gate alive), in (0, 1]: the gate
 *                    factor is psi(g, s) = 1 except psi(0, 1) = gateLeak
 */
public record MrfParams(MrfMode mode, double rowP01, double rowP10, double colP01, double colP10, double damping,
                        BpSchedule schedule, int maxSweeps, double tolerance, boolean warmStart, double gateAlive,
                        double gateLeak) {

  public static final double DEFAULT_DAMPING = 0.5;
  public static final int DEFAULT_MAX_SWEEPS = 100;
  public static final double DEFAULT_TOLERANCE = 1e-4;
  public static final double DEFAULT_GATE_ALIVE = 0.5;
  public static final double DEFAULT_GATE_LEAK = 0.05;
  /**
   * Critical value of exp(J) = (1-p01)(1-p10)/(p01 p10) for loopy BP on a 2-D grid (DESIGN 1): the coupling
   * K = J/4 meets atanh(1/3), where the Bethe free energy of the 4-neighbour lattice orders.
   */
  public static final double CRITICAL_COUPLING = 4.0;

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
    requireProbability("gateAlive", gateAlive);
    if (!(gateLeak > 0 && gateLeak <= 1)) {
      throw new IllegalArgumentException("gateLeak must be in (0, 1], got " + gateLeak);
    }
  }

  /** Without gate settings: the default gate prior and leak (used by graph mode only). */
  public MrfParams(MrfMode mode, double rowP01, double rowP10, double colP01, double colP10, double damping,
                   BpSchedule schedule, int maxSweeps, double tolerance, boolean warmStart) {
    this(mode, rowP01, rowP10, colP01, colP10, damping, schedule, maxSweeps, tolerance, warmStart,
        DEFAULT_GATE_ALIVE, DEFAULT_GATE_LEAK);
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
    return new MrfParams(other, rowP01, rowP10, colP01, colP10, damping, schedule, maxSweeps, tolerance, warmStart,
        gateAlive, gateLeak);
  }

  /** exp(J) = (1-p01)(1-p10)/(p01 p10) of a chain factor: the pairwise coupling of an edge (DESIGN 1). */
  public static double coupling(double p01, double p10) {
    return (1 - p01) * (1 - p10) / (p01 * p10);
  }

  /** Whether this mode puts the chain factors on 2-D grids (grid: the weight matrix; graph: kernels, images). */
  public boolean usesTwoDimensionalGrids() {
    return mode == MrfMode.GRID || mode == MrfMode.GRAPH;
  }

  /**
   * Why these parameters sit at or above loopy BP's critical coupling on a 2-D grid, or null when they are below
   * it or the mode has no 2-D grid (DESIGN 1, coupling rule). At and above it the zero-evidence marginal jumps
   * with the node field and no field gives lambda.
   */
  public String supercriticalReason() {
    if (!usesTwoDimensionalGrids()) {
      return null;
    }
    double row = coupling(rowP01, rowP10);
    double col = coupling(colP01, colP10);
    if (row < CRITICAL_COUPLING && col < CRITICAL_COUPLING) {
      return null;
    }
    return String.format(java.util.Locale.ROOT, "%s mode puts the chains on 2-D grids, where (1-p01)(1-p10)/(p01 p10) "
        + "must stay below %.0f (loopy BP's critical coupling; at and above it the prior is in its ordered phase and "
        + "the share of active weights jumps between near 0 and near 1 instead of being lambda); rows give %.3f "
        + "(p01 %s, p10 %s), columns %.3f (p01 %s, p10 %s)", mode, CRITICAL_COUPLING, row, rowP01, rowP10, col,
        colP01, colP10);
  }

  /**
   * The node field of grid mode in closed form, h0 = ln(p10 / p01) = -logit(lambda) (DESIGN 1): it removes the node
   * prior that the row and the column chains both count, so that the chains' stationary messages are a BP fixed
   * point whose every marginal is lambda. Valid below the critical coupling and when rows and columns share lambda.
   */
  public double closedFormField() {
    return Math.log(rowP10) - Math.log(rowP01);
  }

  /** Whether the row and column chains have the same lambda (to 1e-12), which the closed-form field needs. */
  public boolean sameLambda() {
    return Math.abs(rowLambda() - colP01 / (colP01 + colP10)) < 1e-12;
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
