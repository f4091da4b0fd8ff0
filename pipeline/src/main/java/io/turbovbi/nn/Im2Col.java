package io.turbovbi.nn;

/**
 * Unfolds convolution patches of a channel-major batch ({@code C x n x H x W}) into a matrix
 * {@code [C*k*k] x [n*outH*outW]}, so that a convolution over the batch is one matrix product, and folds gradients
 * back.
 */
public final class Im2Col {
  /**
   * Column-gradient floats per block of samples that a convolution's backward folds at a time: 512 KB, about half
   * of a core's L2 cache, so that a block is folded while still in cache.
   */
  public static final int FOLD_BLOCK_FLOATS = 1 << 17;

  private Im2Col() {}

  /** Samples per block of column gradients of at most {@code floats} floats (at least 1, at most maxBatch). */
  public static int foldBlock(ConvGeometry g, int maxBatch, int floats) {
    return Math.min(maxBatch, Math.max(1, floats / (g.patchSize() * g.outPlane())));
  }

  public static void unfold(ConvGeometry g, float[] input, int n, float[] columns) {
    int k = g.kernel();
    int outH = g.outHeight();
    int outW = g.outWidth();
    int inH = g.inHeight();
    int inW = g.inWidth();
    int stride = g.stride();
    int pad = g.padding();
    int width = n * outH * outW;
    for (int c = 0; c < g.inChannels(); c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = ((c * k + ky) * k + kx) * width;
          for (int s = 0; s < n; s++) {
            int plane = (c * n + s) * inH * inW;
            int out = row + s * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
              int y = oy * stride - pad + ky;
              int dst = out + oy * outW;
              if (y < 0 || y >= inH) {
                java.util.Arrays.fill(columns, dst, dst + outW, 0f);
                continue;
              }
              int src = plane + y * inW;
              if (stride == 1) {
                copyRowStride1(input, src, kx - pad, inW, columns, dst, outW);
              } else {
                for (int ox = 0; ox < outW; ox++) {
                  int x = ox * stride - pad + kx;
                  columns[dst + ox] = x >= 0 && x < inW ? input[src + x] : 0f;
                }
              }
            }
          }
        }
      }
    }
  }

  private static void copyRowStride1(float[] input, int rowStart, int shift, int inW, float[] columns, int dst,
                                     int outW) {
    int first = Math.max(0, -shift);
    int last = Math.min(outW, inW - shift);
    for (int ox = 0; ox < first; ox++) {
      columns[dst + ox] = 0f;
    }
    if (last > first) {
      System.arraycopy(input, rowStart + first + shift, columns, dst + first, last - first);
    }
    for (int ox = Math.max(first, last); ox < outW; ox++) {
      columns[dst + ox] = 0f;
    }
  }

  /**
   * Adds the column gradients of the samples [first, first+count) of a chunk of n back onto the input positions
   * they were copied from ({@code gradInput} += ...); {@code gradColumns} covers those samples only (rows of
   * {@code count * outPlane}).
   */
  public static void fold(ConvGeometry g, float[] gradColumns, int n, int first, int count, float[] gradInput) {
    fold(g, gradColumns, null, null, n, first, count, gradInput);
  }

  /**
   * As {@link #fold(ConvGeometry, float[], int, int, int, float[])} for the column gradient
   * {@code gradColumns + 2 columns * gradVariancePath} of a variational convolution, formed on the fly:
   * {@code columns} covers the whole chunk, {@code gradColumns} and {@code gradVariancePath} the block.
   */
  public static void foldWithVariancePath(ConvGeometry g, float[] gradColumns, float[] columns,
                                          float[] gradVariancePath, int n, int first, int count,
                                          float[] gradInput) {
    fold(g, gradColumns, columns, gradVariancePath, n, first, count, gradInput);
  }

  private static void fold(ConvGeometry g, float[] gradColumns, float[] columns, float[] gradVariancePath, int n,
                           int first, int count, float[] gradInput) {
    int k = g.kernel();
    int outH = g.outHeight();
    int outW = g.outWidth();
    int inH = g.inHeight();
    int inW = g.inWidth();
    int stride = g.stride();
    int pad = g.padding();
    int outPlane = outH * outW;
    int width = n * outPlane;
    int blockWidth = count * outPlane;
    for (int c = 0; c < g.inChannels(); c++) {
      for (int ky = 0; ky < k; ky++) {
        // Output rows whose input row is padding contribute nothing: skipped by the bounds, not tested per row.
        int oyStart = g.firstValidOutput(ky);
        int oyEnd = g.validOutputRowsEnd(ky);
        for (int kx = 0; kx < k; kx++) {
          int row = (c * k + ky) * k + kx;
          int oxStart = g.firstValidOutput(kx);
          int oxEnd = g.validOutputColumnsEnd(kx);
          for (int s = first; s < first + count; s++) {
            int plane = (c * n + s) * inH * inW;
            int blockOut = row * blockWidth + (s - first) * outPlane;
            int columnOut = row * width + s * outPlane;
            for (int oy = oyStart; oy < oyEnd; oy++) {
              // Input position of output column ox: dst + ox * stride.
              int dst = plane + (oy * stride - pad + ky) * inW - pad + kx;
              if (columns == null) {
                addRow(gradColumns, blockOut + oy * outW, gradInput, dst, stride, oxStart, oxEnd);
              } else {
                addRowWithVariancePath(gradColumns, gradVariancePath, blockOut + oy * outW, columns,
                    columnOut + oy * outW, gradInput, dst, stride, oxStart, oxEnd);
              }
            }
          }
        }
      }
    }
  }

  private static void addRow(float[] gradColumns, int src, float[] gradInput, int dst, int stride, int from,
                             int to) {
    if (stride == 1) {
      for (int ox = from; ox < to; ox++) {
        gradInput[dst + ox] += gradColumns[src + ox];
      }
    } else {
      for (int ox = from; ox < to; ox++) {
        gradInput[dst + ox * stride] += gradColumns[src + ox];
      }
    }
  }

  private static void addRowWithVariancePath(float[] gradColumns, float[] gradVariancePath, int src,
                                             float[] columns, int columnSrc, float[] gradInput, int dst, int stride,
                                             int from, int to) {
    for (int ox = from; ox < to; ox++) {
      gradInput[dst + ox * stride] += gradColumns[src + ox] + 2f * columns[columnSrc + ox] * gradVariancePath[src + ox];
    }
  }
}
