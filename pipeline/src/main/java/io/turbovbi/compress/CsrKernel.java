package io.turbovbi.compress;

import io.turbovbi.nn.Kernels;
import java.util.Arrays;

/** Compressed rows: row r's non-zeros are columns[start[r] .. start[r + 1]) with their values. */
final class CsrKernel implements WeightKernel {
  private final int[] start;
  private final int[] columns;
  private final float[] values;
  private final float[] bias;

  CsrKernel(float[] weights, float[] bias, int rows, int cols) {
    this.bias = bias;
    this.start = new int[rows + 1];
    int nonZeros = 0;
    for (float w : weights) {
      nonZeros += w != 0f ? 1 : 0;
    }
    this.columns = new int[nonZeros];
    this.values = new float[nonZeros];
    int next = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float w = weights[r * cols + c];
        if (w != 0f) {
          columns[next] = c;
          values[next++] = w;
        }
      }
      start[r + 1] = next;
    }
  }

  @Override
  public String name() {
    return "csr";
  }

  @Override
  public void multiply(float[] x, int width, float[] y) {
    int rows = start.length - 1;
    if (width == 1) {
      for (int r = 0; r < rows; r++) {
        float sum = bias[r];
        for (int i = start[r]; i < start[r + 1]; i++) {
          sum += values[i] * x[columns[i]];
        }
        y[r] = sum;
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      int target = r * width;
      Arrays.fill(y, target, target + width, bias[r]);
      for (int i = start[r]; i < start[r + 1]; i++) {
        Kernels.axpy(values[i], x, columns[i] * width, y, target, width);
      }
    }
  }
}
