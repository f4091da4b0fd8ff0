package io.turbovbi.compress;

/**
 * One way to compute y = W x + b for a pruned weight matrix W [rows x cols] (DESIGN 6): activations are
 * feature-major, x [cols x width] and y [rows x width] (row r of y at [r * width, (r + 1) * width)), so a weight
 * updates a contiguous run of the batch. Implementations hold W in their own format and keep no state between
 * calls.
 */
interface WeightKernel {

  /** A short name for reports: dense, csr, bcsr4x1, bcsr4x4, segments. */
  String name();

  /** Writes y = W x + b. */
  void multiply(float[] x, int width, float[] y);

  /** Fills every row of y with its bias. */
  static void fillBias(float[] bias, int rows, int width, float[] y) {
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(y, r * width, (r + 1) * width, bias[r]);
    }
  }
}
