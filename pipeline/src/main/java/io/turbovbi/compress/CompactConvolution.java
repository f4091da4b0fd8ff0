package io.turbovbi.compress;

import io.turbovbi.nn.ConvGeometry;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolution as a GEMM over the kept columns only (DESIGN 6): of the [Cout x Cin*k*k] weight matrix, the columns
 * (channel, ky, kx) with any non-zero are kept, the input is unfolded for those columns alone, and the compacted
 * matrix [Cout x kept] multiplies it through a {@link WeightKernel}. Batches are channel-major
 * ({@code C x n x H x W}) in and out.
 */
final class CompactConvolution {
  private final ConvGeometry g;
  private final int[] channel;
  private final int[] kernelRow;
  private final int[] kernelColumn;
  private final WeightKernel kernel;
  private final ValidOutputs valid;

  /**
   * @param kernelOf builds the kernel of the compacted matrix [Cout x kept] (row-major) and the bias
   */
  CompactConvolution(ConvGeometry g, float[] params, int weightOffset, float[] bias,
                     KernelFactory kernelOf) {
    this.g = g;
    int k = g.kernel();
    int patch = g.patchSize();
    List<Integer> kept = new ArrayList<>();
    for (int p = 0; p < patch; p++) {
      for (int o = 0; o < g.outChannels(); o++) {
        if (params[weightOffset + o * patch + p] != 0f) {
          kept.add(p);
          break;
        }
      }
    }
    int columns = kept.size();
    channel = new int[columns];
    kernelRow = new int[columns];
    kernelColumn = new int[columns];
    float[] compact = new float[g.outChannels() * columns];
    for (int j = 0; j < columns; j++) {
      int p = kept.get(j);
      channel[j] = p / (k * k);
      kernelRow[j] = p / k % k;
      kernelColumn[j] = p % k;
      for (int o = 0; o < g.outChannels(); o++) {
        compact[o * columns + j] = params[weightOffset + o * patch + p];
      }
    }
    this.kernel = kernelOf.create(compact, bias, g.outChannels(), columns);
    this.valid = new ValidOutputs(g);
  }

  /** Builds a kernel from a row-major matrix, its bias, rows and columns. */
  interface KernelFactory {
    WeightKernel create(float[] weights, float[] bias, int rows, int cols);
  }

  String kernelName() {
    return kernel.name();
  }

  /** Columns of the compacted matrix. */
  int keptColumns() {
    return channel.length;
  }

  /** Floats of the unfolded input of n samples: the scratch {@link #apply(float[], int, float[], float[])} needs. */
  int unfoldedLength(int n) {
    return channel.length * n * g.outPlane();
  }

  /**
   * The convolution of n samples into output, through {@code unfolded} (at least {@link #unfoldedLength(int)}
   * floats, its content overwritten): buffers the caller keeps, so that a forward pass allocates nothing.
   */
  void apply(float[] input, int n, float[] unfolded, float[] output) {
    int outW = g.outWidth();
    int outPlane = g.outPlane();
    int inPlane = g.inPlane();
    int inW = g.inWidth();
    int stride = g.stride();
    int width = n * outPlane;
    if (g.padding() > 0) {
      // positions under the padding are skipped below and must read as zero
      java.util.Arrays.fill(unfolded, 0, channel.length * width, 0f);
    }
    for (int j = 0; j < channel.length; j++) {
      int ky = kernelRow[j];
      int kx = kernelColumn[j];
      int oyStart = valid.first(ky);
      int oyEnd = valid.rowsEnd(ky);
      int oxStart = valid.first(kx);
      int oxEnd = valid.columnsEnd(kx);
      for (int s = 0; s < n; s++) {
        int source = (channel[j] * n + s) * inPlane;
        int target = j * width + s * outPlane;
        for (int oy = oyStart; oy < oyEnd; oy++) {
          int in = source + (oy * stride - g.padding() + ky) * inW - g.padding() + kx;
          int out = target + oy * outW;
          if (stride == 1) {
            System.arraycopy(input, in + oxStart, unfolded, out + oxStart, oxEnd - oxStart);
          } else {
            for (int ox = oxStart; ox < oxEnd; ox++) {
              unfolded[out + ox] = input[in + ox * stride];
            }
          }
        }
      }
    }
    kernel.multiply(unfolded, width, output);
  }
}
