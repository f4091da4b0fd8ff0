package io.turbovbi.compress;

import io.turbovbi.nn.Blas;

/** W as it is, zeros included, through BLAS sgemm. */
final class DenseKernel implements WeightKernel {
  private final float[] weights;
  private final float[] bias;
  private final int rows;
  private final int cols;

  DenseKernel(float[] weights, float[] bias, int rows, int cols) {
    this.weights = weights;
    this.bias = bias;
    this.rows = rows;
    this.cols = cols;
  }

  @Override
  public String name() {
    return "dense";
  }

  @Override
  public void multiply(float[] x, int width, float[] y) {
    WeightKernel.fillBias(bias, rows, width, y);
    if (cols == 0) {
      return;
    }
    Blas.gemm(false, false, rows, width, cols, 1f, weights, 0, x, 0, 1f, y, 0);
  }
}
