package io.turbovbi.mrf;

import java.util.Arrays;

/**
 * Damped loopy belief propagation (sum-product) on a rows x cols grid whose horizontal edges carry the row chain
 * factor and whose vertical edges carry the column chain factor (DESIGN 1 and 2, Module B), after Xia, Tsang and
 * Lau, "Structured Bayesian Compression for Deep Neural Networks Based on the Turbo-VBI Approach", IEEE TSP 71
 * (2023), arXiv 2302.10483.
 *
 * <p>Schedule ({@link BpSchedule}): flooding forms every node's total (local evidence times all incoming messages)
 * first and then recomputes both messages of every edge from those totals; sequential updates in place, chain by
 * chain, each message from the newest ones. Damping is linear in log-odds, new = d old + (1 - d) computed, i.e.
 * geometric in odds.
 *
 * <p>State: four flat arrays of incoming messages per node (from the left, right, upper and lower neighbour) stored
 * as odds exp(log-odds), so that a message update costs divisions and, at damping 0.5, a square root, but no exp or
 * log (about three times the speed of the log-domain form). Every message is clipped to the odds of
 * +-{@link LogOdds#CLIP}, which bounds all products: a node's total stays within exp(+-4 CLIP) times its local odds.
 * Messages on missing edges (at the border) stay at odds 1.
 */
final class GridBeliefPropagation {

  private static final double HALF = 0.5;

  private final int rows;
  private final int cols;
  private final ChainFactor rowFactor;
  private final ChainFactor colFactor;
  private final double damping;
  private final BpSchedule schedule;
  private final double[] fromLeft;
  private final double[] fromRight;
  private final double[] fromUp;
  private final double[] fromDown;
  private final double[] total;

  GridBeliefPropagation(int rows, int cols, ChainFactor rowFactor, ChainFactor colFactor, double damping,
                        BpSchedule schedule) {
    this.rows = rows;
    this.cols = cols;
    this.rowFactor = rowFactor;
    this.colFactor = colFactor;
    this.damping = damping;
    this.schedule = schedule;
    int n = rows * cols;
    this.fromLeft = new double[n];
    this.fromRight = new double[n];
    this.fromUp = new double[n];
    this.fromDown = new double[n];
    this.total = new double[n];
    reset();
  }

  /**
   * Node log-odds field of the grid prior (DESIGN 1): h0 on every node, plus the first-node Bern(lambda) of each
   * row chain (column 0) and of each column chain (row 0).
   */
  static double[] priorField(int rows, int cols, ChainFactor rowFactor, ChainFactor colFactor, double h0) {
    double[] field = new double[rows * cols];
    double rowStart = rowFactor.firstNodeLogOdds();
    double colStart = colFactor.firstNodeLogOdds();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        field[r * cols + c] = h0 + (c == 0 ? rowStart : 0.0) + (r == 0 ? colStart : 0.0);
      }
    }
    return field;
  }

  /** Cold start: every message at odds 1 (log-odds 0). */
  void reset() {
    Arrays.fill(fromLeft, 1.0);
    Arrays.fill(fromRight, 1.0);
    Arrays.fill(fromUp, 1.0);
    Arrays.fill(fromDown, 1.0);
  }

  /**
   * Runs sweeps from the current messages until the largest message change (in log-odds) is below tolerance or
   * maxSweeps is reached.
   *
   * @param localOdds per node (grid order), exp of the node's unary log-odds plus its prior field
   */
  MessagePassingReport run(double[] localOdds, int maxSweeps, double tolerance) {
    double change = Double.POSITIVE_INFINITY;
    for (int sweep = 1; sweep <= maxSweeps; sweep++) {
      change = schedule == BpSchedule.FLOODING ? floodingSweep(localOdds) : sequentialSweep(localOdds);
      if (change < tolerance) {
        return new MessagePassingReport(sweep, true, change);
      }
    }
    return new MessagePassingReport(maxSweeps, false, change);
  }

  /** One flooding sweep; returns the largest absolute change of a message log-odds. */
  private double floodingSweep(double[] localOdds) {
    int n = rows * cols;
    for (int i = 0; i < n; i++) {
      total[i] = localOdds[i] * fromLeft[i] * fromRight[i] * fromUp[i] * fromDown[i];
    }
    double maxRatio = 1.0;
    double minRatio = 1.0;
    // DESIGN 1, row chains: edge (u, u + 1), psi(s_u, s_u+1); cavity = total / reverse message
    for (int r = 0; r < rows; r++) {
      int end = r * cols + cols - 1;
      for (int u = r * cols; u < end; u++) {
        int v = u + 1;
        double stepRight = step(rowFactor.forward(total[u] / fromRight[u]) / fromLeft[v]);
        double stepLeft = step(rowFactor.backward(total[v] / fromLeft[v]) / fromRight[u]);
        fromLeft[v] *= stepRight;
        fromRight[u] *= stepLeft;
        maxRatio = Math.max(maxRatio, Math.max(stepRight, stepLeft));
        minRatio = Math.min(minRatio, Math.min(stepRight, stepLeft));
      }
    }
    // DESIGN 1, column chains: edge (u, u + cols), psi(s_u, s_u+cols)
    for (int u = 0, end = n - cols; u < end; u++) {
      int v = u + cols;
      double stepDown = step(colFactor.forward(total[u] / fromDown[u]) / fromUp[v]);
      double stepUp = step(colFactor.backward(total[v] / fromUp[v]) / fromDown[u]);
      fromUp[v] *= stepDown;
      fromDown[u] *= stepUp;
      maxRatio = Math.max(maxRatio, Math.max(stepDown, stepUp));
      minRatio = Math.min(minRatio, Math.min(stepDown, stepUp));
    }
    return Math.max(Math.log(maxRatio), -Math.log(minRatio));
  }

  /** One sequential sweep; returns the largest absolute change of a message log-odds. */
  private double sequentialSweep(double[] localOdds) {
    int n = rows * cols;
    double maxRatio = 1.0;
    double minRatio = 1.0;
    // DESIGN 1, row chains, left to right then right to left; cavity = local times the other three messages
    for (int r = 0; r < rows; r++) {
      int first = r * cols;
      int last = first + cols - 1;
      for (int u = first; u < last; u++) {
        double cavity = localOdds[u] * fromLeft[u] * fromUp[u] * fromDown[u];
        double s = step(rowFactor.forward(cavity) / fromLeft[u + 1]);
        fromLeft[u + 1] *= s;
        maxRatio = Math.max(maxRatio, s);
        minRatio = Math.min(minRatio, s);
      }
      for (int v = last; v > first; v--) {
        double cavity = localOdds[v] * fromRight[v] * fromUp[v] * fromDown[v];
        double s = step(rowFactor.backward(cavity) / fromRight[v - 1]);
        fromRight[v - 1] *= s;
        maxRatio = Math.max(maxRatio, s);
        minRatio = Math.min(minRatio, s);
      }
    }
    // DESIGN 1, column chains, top to bottom then bottom to top
    for (int u = 0, end = n - cols; u < end; u++) {
      double cavity = localOdds[u] * fromUp[u] * fromLeft[u] * fromRight[u];
      double s = step(colFactor.forward(cavity) / fromUp[u + cols]);
      fromUp[u + cols] *= s;
      maxRatio = Math.max(maxRatio, s);
      minRatio = Math.min(minRatio, s);
    }
    for (int v = n - 1; v >= cols; v--) {
      double cavity = localOdds[v] * fromDown[v] * fromLeft[v] * fromRight[v];
      double s = step(colFactor.backward(cavity) / fromDown[v - cols]);
      fromDown[v - cols] *= s;
      maxRatio = Math.max(maxRatio, s);
      minRatio = Math.min(minRatio, s);
    }
    return Math.max(Math.log(maxRatio), -Math.log(minRatio));
  }

  /**
   * Damped multiplicative step of a message's odds given the ratio computed / old: ratio^(1 - d), so that the new
   * log-odds is d old + (1 - d) computed. At d = 0.5 a square root.
   */
  private double step(double ratio) {
    return damping == HALF ? Math.sqrt(ratio) : Math.pow(ratio, 1.0 - damping);
  }

  /** Log-odds of all incoming messages of a node, i.e. its belief log-odds minus its local log-odds. */
  double incomingLogOdds(int node) {
    return Math.log(fromLeft[node] * fromRight[node] * fromUp[node] * fromDown[node]);
  }

  /** The messages as log-odds, laid out [from left | from right | from up | from down], each in grid order. */
  double[] messageLogOdds() {
    int n = rows * cols;
    double[] out = new double[4 * n];
    double[][] parts = {fromLeft, fromRight, fromUp, fromDown};
    for (int p = 0; p < parts.length; p++) {
      for (int i = 0; i < n; i++) {
        out[p * n + i] = Math.log(parts[p][i]);
      }
    }
    return out;
  }

  /** Restores messages saved by {@link #messageLogOdds()}. */
  void restoreMessages(double[] logOdds) {
    int n = rows * cols;
    if (logOdds.length != 4 * n) {
      throw new IllegalArgumentException("expected " + 4 * n + " message log-odds, got " + logOdds.length);
    }
    double[][] parts = {fromLeft, fromRight, fromUp, fromDown};
    for (int p = 0; p < parts.length; p++) {
      for (int i = 0; i < n; i++) {
        parts[p][i] = Math.exp(LogOdds.clip(logOdds[p * n + i]));
      }
    }
  }
}
