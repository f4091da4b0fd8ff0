package io.turbovbi.compress;

import io.turbovbi.nn.ConvGeometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The columns (channel, ky, kx) of a convolution's [Cout x Cin*k*k] weight matrix that hold a non-zero, and the
 * unfolding of a channel-major batch ({@code C x n x H x W}) for those columns alone: row j of the unfolded matrix
 * is kept column j's input under every output position of every sample.
 */
final class KeptColumns {
  private final ConvGeometry g;
  /** Kept column j is patch position patch[j] = (channel[j], kernelRow[j], kernelColumn[j]). */
  private final int[] patch;
  private final int[] channel;
  private final int[] kernelRow;
  private final int[] kernelColumn;
  private final ValidOutputs valid;

  /** The kept columns of the kernels {@code [outChannels][inChannels][k][k]} stored at {@code params[offset..]}. */
  KeptColumns(ConvGeometry g, float[] params, int offset) {
    this.g = g;
    int k = g.kernel();
    int patchSize = g.patchSize();
    List<Integer> kept = new ArrayList<>();
    for (int p = 0; p < patchSize; p++) {
      for (int o = 0; o < g.outChannels(); o++) {
        if (params[offset + o * patchSize + p] != 0f) {
          kept.add(p);
          break;
        }
      }
    }
    patch = kept.stream().mapToInt(Integer::intValue).toArray();
    channel = Arrays.stream(patch).map(p -> p / (k * k)).toArray();
    kernelRow = Arrays.stream(patch).map(p -> p / k % k).toArray();
    kernelColumn = Arrays.stream(patch).map(p -> p % k).toArray();
    valid = new ValidOutputs(g);
  }

  int count() {
    return patch.length;
  }

  int outChannels() {
    return g.outChannels();
  }

  /** The kept columns of the weights at {@code params[offset..]}, as a row-major [Cout x kept] matrix. */
  float[] compact(float[] params, int offset) {
    int columns = patch.length;
    float[] compact = new float[g.outChannels() * columns];
    for (int o = 0; o < g.outChannels(); o++) {
      for (int j = 0; j < columns; j++) {
        compact[o * columns + j] = params[offset + o * g.patchSize() + patch[j]];
      }
    }
    return compact;
  }

  /** Columns of the unfolded matrix of n samples: one per output position of each sample. */
  int width(int n) {
    return n * g.outPlane();
  }

  /** Floats of the unfolded input of n samples. */
  int unfoldedLength(int n) {
    return patch.length * width(n);
  }

  /**
   * Writes the unfolded input of n samples, [kept x n*outPlane], into the first {@link #unfoldedLength(int)} floats
   * of unfolded (a buffer the caller keeps; what it held is overwritten).
   */
  void unfold(float[] input, int n, float[] unfolded) {
    int outW = g.outWidth();
    int outPlane = g.outPlane();
    int inPlane = g.inPlane();
    int inW = g.inWidth();
    int stride = g.stride();
    int pad = g.padding();
    int width = width(n);
    if (pad > 0) {
      // positions under the padding are skipped below and must read as zero
      Arrays.fill(unfolded, 0, patch.length * width, 0f);
    }
    for (int j = 0; j < patch.length; j++) {
      int ky = kernelRow[j];
      int kx = kernelColumn[j];
      int oyEnd = valid.rowsEnd(ky);
      int oxStart = valid.first(kx);
      int oxEnd = valid.columnsEnd(kx);
      if (oxStart == oxEnd) {
        continue; // this column only ever meets padding: its row stays zero
      }
      for (int s = 0; s < n; s++) {
        int source = (channel[j] * n + s) * inPlane;
        int target = j * width + s * outPlane;
        for (int oy = valid.first(ky); oy < oyEnd; oy++) {
          int in = source + (oy * stride - pad + ky) * inW - pad + kx;
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
  }
}
