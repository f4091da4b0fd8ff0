package io.turbovbi.compress;

import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.Kernels;
import java.util.Arrays;

/**
 * A convolution that multiplies only its non-zero kernel weights, straight from the input planes: no im2col
 * matrix, whose rows for the zero weights would cost as much as the dense product. Batches are channel-major
 * ({@code C x n x H x W}) in and out.
 */
final class SparseConvolution {
  private final ConvGeometry g;
  /** Output channel o's non-zeros are entries start[o] .. start[o + 1] of the arrays below. */
  private final int[] start;
  private final int[] channel;
  private final int[] kernelRow;
  private final int[] kernelColumn;
  private final float[] value;
  private final ValidOutputs valid;

  private SparseConvolution(ConvGeometry g, int[] start, int[] channel, int[] kernelRow, int[] kernelColumn,
                            float[] value) {
    this.g = g;
    this.start = start;
    this.channel = channel;
    this.kernelRow = kernelRow;
    this.kernelColumn = kernelColumn;
    this.value = value;
    this.valid = new ValidOutputs(g);
  }

  /** The non-zeros of the kernels {@code [outChannels][inChannels][k][k]} stored at {@code params[offset..]}. */
  static SparseConvolution of(ConvGeometry g, float[] params, int offset) {
    int k = g.kernel();
    int nonZeros = 0;
    for (int i = 0; i < g.weightCount(); i++) {
      nonZeros += params[offset + i] != 0f ? 1 : 0;
    }
    int[] start = new int[g.outChannels() + 1];
    int[] channel = new int[nonZeros];
    int[] kernelRow = new int[nonZeros];
    int[] kernelColumn = new int[nonZeros];
    float[] value = new float[nonZeros];
    int next = 0;
    for (int o = 0; o < g.outChannels(); o++) {
      for (int p = 0; p < g.patchSize(); p++) {
        float v = params[offset + o * g.patchSize() + p];
        if (v != 0f) {
          channel[next] = p / (k * k);
          kernelRow[next] = p / k % k;
          kernelColumn[next] = p % k;
          value[next++] = v;
        }
      }
      start[o + 1] = next;
    }
    return new SparseConvolution(g, start, channel, kernelRow, kernelColumn, value);
  }

  /**
   * The convolution of n samples plus {@code bias[biasOffset + o]} on output channel o, written to the first
   * {@code Cout * n * outPlane} floats of output.
   */
  void apply(float[] input, int n, float[] bias, int biasOffset, float[] output) {
    int outW = g.outWidth();
    int outPlane = g.outPlane();
    int inPlane = g.inPlane();
    int inW = g.inWidth();
    int stride = g.stride();
    int pad = g.padding();
    // Sample by sample, so that an output plane stays in cache while every non-zero of its channel adds to it.
    for (int s = 0; s < n; s++) {
      for (int o = 0; o < g.outChannels(); o++) {
        int target = (o * n + s) * outPlane;
        Arrays.fill(output, target, target + outPlane, bias[biasOffset + o]);
        for (int i = start[o]; i < start[o + 1]; i++) {
          float w = value[i];
          int ky = kernelRow[i];
          int kx = kernelColumn[i];
          int source = (channel[i] * n + s) * inPlane;
          int oyEnd = valid.rowsEnd(ky);
          int oxStart = valid.first(kx);
          int oxEnd = valid.columnsEnd(kx);
          for (int oy = valid.first(ky); oy < oyEnd; oy++) {
            int in = source + (oy * stride - pad + ky) * inW - pad + kx;
            int out = target + oy * outW;
            if (stride == 1) {
              Kernels.axpy(w, input, in + oxStart, output, out + oxStart, oxEnd - oxStart);
            } else {
              for (int ox = oxStart; ox < oxEnd; ox++) {
                output[out + ox] += w * input[in + ox * stride];
              }
            }
          }
        }
      }
    }
  }
}
