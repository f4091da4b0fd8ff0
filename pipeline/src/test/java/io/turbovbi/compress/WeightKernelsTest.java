package io.turbovbi.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.nn.ConvGeometry;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every inference kernel against the dense computation written out in loops, on random masks. */
class WeightKernelsTest {

  private static final double[] DENSITIES = {0.0, 0.02, 0.1, 0.4, 1.0};

  @Test
  void everyKernelEqualsTheDenseProductOnRandomAndClusteredMasks() {
    Random random = new Random(1);
    int[][] shapes = {{1, 1}, {7, 13}, {10, 16}, {33, 9}};
    for (int[] shape : shapes) {
      int rows = shape[0];
      int cols = shape[1];
      for (double density : DENSITIES) {
        for (boolean clustered : new boolean[] {false, true}) {
          float[] w = clustered ? runs(random, rows, cols, density) : scattered(random, rows * cols, density);
          float[] bias = gaussian(random, rows);
          for (int width : new int[] {1, 3, 32}) {
            float[] x = gaussian(random, cols * width);
            float[] expected = new float[rows * width];
            for (int r = 0; r < rows; r++) {
              for (int s = 0; s < width; s++) {
                double sum = bias[r];
                for (int c = 0; c < cols; c++) {
                  sum += (double) w[r * cols + c] * x[c * width + s];
                }
                expected[r * width + s] = (float) sum;
              }
            }
            for (CompactConvolution.KernelFactory factory : WeightKernels.FACTORIES) {
              WeightKernel kernel = factory.create(w, bias, rows, cols);
              float[] y = new float[rows * width];
              Arrays.fill(y, Float.NaN);
              kernel.multiply(x, width, y);
              for (int i = 0; i < y.length; i++) {
                assertEquals(expected[i], y[i], 1e-4, kernel.name() + " " + rows + "x" + cols + " density "
                    + density + (clustered ? " runs" : " scattered") + " width " + width + " at " + i);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void theChoiceByMeasurementTakesTheWayWithTheShortestPass() {
    int[] selected = {-1};
    int[] passes = new int[3];
    // way 1 costs nothing; ways 0 and 2 sleep for a millisecond or more, far beyond any timer's noise
    int chosen = WeightKernels.fastest(3, c -> selected[0] = c, () -> {
      passes[selected[0]]++;
      if (selected[0] != 1) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    assertEquals(1, chosen);
    for (int way = 0; way < 3; way++) {
      assertTrue(passes[way] >= WeightKernels.MIN_REPEATS * WeightKernels.ROUNDS, "way " + way + " ran only "
          + passes[way] + " times");
    }
  }

  @Test
  void compactedConvolutionEqualsTheDenseConvolutionWithEveryKernel() {
    Random random = new Random(2);
    ConvGeometry[] geometries = {new ConvGeometry(3, 8, 8, 4, 3, 1, 0), new ConvGeometry(2, 7, 9, 5, 3, 2, 1),
        new ConvGeometry(4, 6, 6, 3, 5, 1, 2), new ConvGeometry(2, 1, 1, 3, 5, 1, 2)};
    for (ConvGeometry g : geometries) {
      for (double density : DENSITIES) {
        float[] params = scattered(random, g.weightCount(), density);
        // a dead input channel: its columns must drop out of the compacted matrix
        int patch = g.patchSize();
        int kk = g.kernel() * g.kernel();
        for (int o = 0; o < g.outChannels(); o++) {
          Arrays.fill(params, o * patch, o * patch + kk, 0f);
        }
        float[] bias = gaussian(random, g.outChannels());
        int n = 3;
        float[] input = gaussian(random, g.inChannels() * n * g.inPlane());
        float[] expected = denseConvolution(g, params, bias, input, n);
        KeptColumns columns = new KeptColumns(g, params, 0);
        assertTrue(columns.count() <= patch - kk, "kept " + columns.count());
        for (CompactConvolution.KernelFactory factory : WeightKernels.FACTORIES) {
          CompactConvolution conv = new CompactConvolution(columns, params, 0, bias, factory);
          // buffers holding garbage, as reused buffers do: padding must still read as zero
          float[] unfolded = nans(columns.unfoldedLength(n) + 5);
          float[] out = nans(expected.length);
          conv.apply(input, n, unfolded, out);
          for (int i = 0; i < out.length; i++) {
            assertEquals(expected[i], out[i], 1e-4, conv.kernelName() + " " + g + " density " + density + " at " + i);
          }
        }
        float[] direct = nans(expected.length);
        SparseConvolution.of(g, params, 0).apply(input, n, bias, 0, direct);
        for (int i = 0; i < direct.length; i++) {
          assertEquals(expected[i], direct[i], 1e-4, "direct " + g + " at " + i);
        }
      }
    }
  }

  private static float[] nans(int length) {
    float[] values = new float[length];
    Arrays.fill(values, Float.NaN);
    return values;
  }

  /** Channel-major (C x n x H x W) convolution with zero padding, written from its definition. */
  private static float[] denseConvolution(ConvGeometry g, float[] w, float[] bias, float[] input, int n) {
    int k = g.kernel();
    float[] out = new float[g.outChannels() * n * g.outPlane()];
    for (int o = 0; o < g.outChannels(); o++) {
      for (int s = 0; s < n; s++) {
        for (int oy = 0; oy < g.outHeight(); oy++) {
          for (int ox = 0; ox < g.outWidth(); ox++) {
            double sum = bias[o];
            for (int c = 0; c < g.inChannels(); c++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  int y = oy * g.stride() - g.padding() + ky;
                  int x = ox * g.stride() - g.padding() + kx;
                  if (y >= 0 && y < g.inHeight() && x >= 0 && x < g.inWidth()) {
                    sum += (double) w[((o * g.inChannels() + c) * k + ky) * k + kx]
                        * input[((c * n + s) * g.inHeight() + y) * g.inWidth() + x];
                  }
                }
              }
            }
            out[((o * n + s) * g.outHeight() + oy) * g.outWidth() + ox] = (float) sum;
          }
        }
      }
    }
    return out;
  }

  private static float[] scattered(Random random, int length, double density) {
    float[] w = new float[length];
    for (int i = 0; i < length; i++) {
      w[i] = random.nextDouble() < density ? (float) random.nextGaussian() : 0f;
    }
    return w;
  }

  /** Rows whose non-zeros come in runs of 1 to 6. */
  private static float[] runs(Random random, int rows, int cols, double density) {
    float[] w = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int c = 0;
      while (c < cols) {
        int length = 1 + random.nextInt(6);
        boolean on = random.nextDouble() < density;
        for (int j = c; j < Math.min(cols, c + length); j++) {
          w[r * cols + j] = on ? (float) random.nextGaussian() : 0f;
        }
        c += length;
      }
    }
    return w;
  }

  private static float[] gaussian(Random random, int length) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
