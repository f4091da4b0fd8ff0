package io.turbovbi.compress;

import io.turbovbi.nn.Kernels;
import java.util.Arrays;

/**
 * Run-length segments: each row's non-zeros grouped into maximal runs of consecutive columns, one (first column,
 * length) per run, the values of a run contiguous. At batch 1 a run is a dot product of two contiguous arrays; the
 * fewer the runs (the more clustered the support), the fewer the indices read.
 */
final class SegmentKernel implements WeightKernel {
  /** Row r's runs are runs start[r] .. start[r + 1]. */
  private final int[] start;
  private final int[] firstColumn;
  /** Run i's values are values[valueStart[i] .. valueStart[i + 1]). */
  private final int[] valueStart;
  private final float[] values;
  private final float[] bias;

  SegmentKernel(float[] weights, float[] bias, int rows, int cols) {
    this.bias = bias;
    this.start = new int[rows + 1];
    int runs = 0;
    int nonZeros = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        boolean on = weights[r * cols + c] != 0f;
        nonZeros += on ? 1 : 0;
        runs += on && (c == 0 || weights[r * cols + c - 1] == 0f) ? 1 : 0;
      }
      start[r + 1] = runs;
    }
    this.firstColumn = new int[runs];
    this.valueStart = new int[runs + 1];
    this.values = new float[nonZeros];
    int run = 0;
    int next = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float w = weights[r * cols + c];
        if (w == 0f) {
          continue;
        }
        if (c == 0 || weights[r * cols + c - 1] == 0f) {
          firstColumn[run] = c;
          valueStart[run++] = next;
        }
        values[next++] = w;
      }
    }
    valueStart[runs] = next;
  }

  @Override
  public String name() {
    return "segments";
  }

  @Override
  public void multiply(float[] x, int width, float[] y) {
    int rows = start.length - 1;
    if (width == 1) {
      for (int r = 0; r < rows; r++) {
        float sum = bias[r];
        for (int i = start[r]; i < start[r + 1]; i++) {
          int offset = firstColumn[i] - valueStart[i];
          for (int v = valueStart[i]; v < valueStart[i + 1]; v++) {
            sum += values[v] * x[offset + v];
          }
        }
        y[r] = sum;
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      int target = r * width;
      Arrays.fill(y, target, target + width, bias[r]);
      for (int i = start[r]; i < start[r + 1]; i++) {
        int source = firstColumn[i] * width;
        for (int v = valueStart[i]; v < valueStart[i + 1]; v++, source += width) {
          Kernels.axpy(values[v], x, source, y, target, width);
        }
      }
    }
  }
}
