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

  float[] apply(float[] input, int n) {
    int outW = g.outWidth();
    int outH = g.outHeight();
    int outPlane = g.outPlane();
    int inPlane = g.inPlane();
    int inW = g.inWidth();
    int inH = g.inHeight();
    int width = n * outPlane;
    float[] unfolded = new float[channel.length * width];
    for (int j = 0; j < channel.length; j++) {
      int row = j * width;
      for (int s = 0; s < n; s++) {
        int source = (channel[j] * n + s) * inPlane;
        int target = row + s * outPlane;
        for (int oy = 0; oy < outH; oy++) {
          int y = oy * g.stride() - g.padding() + kernelRow[j];
          if (y < 0 || y >= inH) {
            continue;
          }
          for (int ox = 0; ox < outW; ox++) {
            int x = ox * g.stride() - g.padding() + kernelColumn[j];
            if (x >= 0 && x < inW) {
              unfolded[target + oy * outW + ox] = input[source + y * inW + x];
            }
          }
        }
      }
    }
    float[] output = new float[g.outChannels() * width];
    kernel.multiply(unfolded, width, output);
    return output;
  }
}
