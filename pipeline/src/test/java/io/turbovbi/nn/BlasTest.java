package io.turbovbi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlasTest {
  @Test
  void rowMajorProductsMatchNaiveLoopsForEveryTransposition() {
    SplittableRandom random = new SplittableRandom(1);
    int m = 5;
    int n = 7;
    int k = 3;
    for (boolean transA : new boolean[] {false, true}) {
      for (boolean transB : new boolean[] {false, true}) {
        float[] a = random(random, 2 + m * k);
        float[] b = random(random, 1 + k * n);
        float[] c = random(random, 4 + m * n);
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int p = 0; p < k; p++) {
              float aip = transA ? a[2 + p * m + i] : a[2 + i * k + p];
              float bpj = transB ? b[1 + j * k + p] : b[1 + p * n + j];
              sum += aip * bpj;
            }
            expected[4 + i * n + j] = (float) (0.5 * sum + 2 * c[4 + i * n + j]);
          }
        }
        Blas.gemm(transA, transB, m, n, k, 0.5f, a, 2, b, 1, 2f, c, 4);
        for (int i = 0; i < c.length; i++) {
          assertEquals(expected[i], c[i], 1e-5f, "transA " + transA + ", transB " + transB + ", element " + i);
        }
      }
    }
  }

  private static float[] random(SplittableRandom random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
