package io.turbovbi.nn;

import java.util.Arrays;

/** Batch products and reductions shared by the deterministic and the variational layers. */
public final class Matrices {
  /** Partial sums per row in {@link #addRowSums}. */
  private static final int SUM_LANES = 16;

  private Matrices() {}

  /** output = input W^T + bias for n rows; W is {@code [out x in]} at weightOffset, bias at biasOffset. */
  public static void denseAffine(float[] params, int weightOffset, int biasOffset, float[] input, int n, int in,
                                 int out, float[] output) {
    for (int s = 0; s < n; s++) {
      System.arraycopy(params, biasOffset, output, s * out, out);
    }
    Blas.gemm(false, true, n, out, in, 1f, input, 0, params, weightOffset, 1f, output, 0);
  }

  /** output[o][s*P + p] = bias[o] + sum_r W[o][r] columns[r][s*P + p], for a channel-major batch of n. */
  public static void convAffine(ConvGeometry g, float[] params, int weightOffset, int biasOffset, float[] columns,
                                int n, float[] output) {
    int width = n * g.outPlane();
    for (int o = 0; o < g.outChannels(); o++) {
      Arrays.fill(output, o * width, (o + 1) * width, params[biasOffset + o]);
    }
    Blas.gemm(false, false, g.outChannels(), width, g.patchSize(), 1f, params, weightOffset, columns, 0, 1f,
        output, 0);
  }

  /** Copies columns [from, from+count) of a {@code rows x width} matrix to a packed {@code rows x count} one. */
  public static void copyColumns(float[] matrix, int width, int from, int count, int rows, float[] target) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(matrix, r * width + from, target, r * count, count);
    }
  }

  /** target[j] += sum over rows s of matrix[s][j]. */
  public static void addColumnSums(float[] matrix, int rows, int cols, float[] target, int targetOffset) {
    for (int s = 0; s < rows; s++) {
      int row = s * cols;
      for (int j = 0; j < cols; j++) {
        target[targetOffset + j] += matrix[row + j];
      }
    }
  }

  /** target[o] += sum of row o of a {@code rows x width} matrix. */
  public static void addRowSums(float[] matrix, int rows, int width, float[] target, int targetOffset) {
    float[] lanes = new float[SUM_LANES];
    for (int o = 0; o < rows; o++) {
      int start = o * width;
      java.util.Arrays.fill(lanes, 0f);
      int j = 0;
      // Independent partial sums: the loop vectorises, and long rows lose less precision than one running sum.
      for (; j + SUM_LANES <= width; j += SUM_LANES) {
        for (int l = 0; l < SUM_LANES; l++) {
          lanes[l] += matrix[start + j + l];
        }
      }
      double sum = 0;
      for (float lane : lanes) {
        sum += lane;
      }
      for (; j < width; j++) {
        sum += matrix[start + j];
      }
      target[targetOffset + o] += (float) sum;
    }
  }
}
