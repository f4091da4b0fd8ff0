package io.turbovbi.mrf;

/**
 * Exact marginals of the support prior of DESIGN 1 times unary evidence, by enumerating all 2^n states of a small
 * grid. Written from the model's definition (Bern(lambda) first nodes, psi(a, b) = P(b | a)), not from the message
 * formulas under test.
 */
final class BruteForce {

  private BruteForce() {
  }

  /**
   * P(s_n = 1) in grid order for p(s) proportional to prod rows Chain_r * [prod cols Chain_c] * exp(sum_n s_n
   * (h0 + unary_n)).
   */
  static double[] marginals(int rows, int cols, double rowP01, double rowP10, double colP01, double colP10,
                            boolean withColumns, double h0, double[] unaryByNode) {
    int n = rows * cols;
    if (n > 20) {
      throw new IllegalArgumentException("too many nodes to enumerate: " + n);
    }
    double[] logWeight = new double[1 << n];
    double max = Double.NEGATIVE_INFINITY;
    for (int state = 0; state < 1 << n; state++) {
      double lw = 0;
      for (int node = 0; node < n; node++) {
        if (bit(state, node) == 1) {
          lw += h0 + unaryByNode[node];
        }
      }
      for (int r = 0; r < rows; r++) {
        lw += logChain(state, r * cols, 1, cols, rowP01, rowP10);
      }
      if (withColumns) {
        for (int c = 0; c < cols; c++) {
          lw += logChain(state, c, cols, rows, colP01, colP10);
        }
      }
      logWeight[state] = lw;
      max = Math.max(max, lw);
    }
    return marginals(logWeight, max, n);
  }

  /**
   * P(s_v = 1) of the first {@code count} variables from the unnormalised log-probability of every state (index =
   * the state's bits), {@code max} being the largest of them.
   */
  static double[] marginals(double[] logWeight, double max, int count) {
    double z = 0;
    double[] active = new double[count];
    for (int state = 0; state < logWeight.length; state++) {
      double w = Math.exp(logWeight[state] - max);
      z += w;
      for (int v = 0; v < count; v++) {
        if (bit(state, v) == 1) {
          active[v] += w;
        }
      }
    }
    for (int v = 0; v < count; v++) {
      active[v] /= z;
    }
    return active;
  }

  /** log of Bern(lambda)(first) * prod_steps P(next | previous) along nodes first, first + stride, ... */
  private static double logChain(int state, int first, int stride, int length, double p01, double p10) {
    double lambda = p01 / (p01 + p10);
    int previous = bit(state, first);
    double lw = Math.log(previous == 1 ? lambda : 1 - lambda);
    for (int i = 1; i < length; i++) {
      int next = bit(state, first + i * stride);
      double p = previous == 0 ? (next == 1 ? p01 : 1 - p01) : (next == 0 ? p10 : 1 - p10);
      lw += Math.log(p);
      previous = next;
    }
    return lw;
  }

  private static int bit(int state, int node) {
    return (state >> node) & 1;
  }
}
