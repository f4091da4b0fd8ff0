package io.turbovbi.mrf;

/** Argument checks and the weight-order gather and scatter of Module B, shared by the three modes. */
final class ModuleBArrays {

  private ModuleBArrays() {
  }

  static void check(SupportGrid grid, double[] llrA, double[] llrBOut, double[] piOut) {
    int n = grid.size();
    if (llrA.length != n || llrBOut.length != n || piOut.length != n) {
      throw new IllegalArgumentException("arrays must hold " + n + " weights (" + grid.name() + "), got llrA "
          + llrA.length + ", llrB " + llrBOut.length + ", pi " + piOut.length);
    }
    for (int w = 0; w < n; w++) {
      if (Double.isNaN(llrA[w])) {
        throw new IllegalArgumentException("LLR_A is NaN at weight " + w + " of " + grid.name());
      }
    }
  }

  /** Local odds per grid node: exp(clipped LLR_A + the node's prior field). */
  static void localOdds(SupportGrid grid, double[] llrA, double[] field, double[] localOddsOut) {
    for (int node = 0; node < localOddsOut.length; node++) {
      localOddsOut[node] = Math.exp(LogOdds.clip(llrA[grid.weightOf(node)]) + field[node]);
    }
  }

  /** Writes a grid-order extrinsic log-odds (clipped) and its sigmoid in weight order. */
  static void output(SupportGrid grid, double[] extrinsicByNode, double[] llrBOut, double[] piOut) {
    for (int node = 0; node < extrinsicByNode.length; node++) {
      int w = grid.weightOf(node);
      double llrB = LogOdds.clip(extrinsicByNode[node]);
      llrBOut[w] = llrB;
      piOut[w] = LogOdds.sigmoid(llrB);
    }
  }

  /** Restoring state into a mode that keeps none accepts only the empty array it saved. */
  static void requireNoMessages(double[] logOdds) {
    if (logOdds.length != 0) {
      throw new IllegalArgumentException("this MRF mode keeps no messages, got " + logOdds.length);
    }
  }
}
