package io.turbovbi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
  @Test
  void expIsWithinTwoTenMillionthsOfMathExp() {
    SplittableRandom random = new SplittableRandom(1);
    float[] x = new float[100_003];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextDouble() * 170 - 85);
    }
    float[] y = new float[x.length];
    Kernels.exp(x, 0, y, 0, x.length);
    for (int i = 0; i < x.length; i++) {
      double expected = Math.exp(x[i]);
      assertEquals(expected, y[i], 2e-7 * expected, "exp(" + x[i] + ")");
    }
  }

  @Test
  void expClampsToNormalFloats() {
    float[] x = {-1000f, -87.3f, 88.7f, 1000f, 0f};
    float[] y = new float[x.length];
    Kernels.exp(x, 0, y, 0, x.length);
    assertEquals(y[0], y[1]);
    assertEquals(y[2], y[3]);
    assertTrue(y[0] >= Float.MIN_NORMAL && Float.isFinite(y[3]));
    assertEquals(1f, y[4]);
  }

  @Test
  void vectorAndScalarFormsGiveTheSameBits() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no Vector API in this JVM");
    Kernels.Impl vector = new VectorKernels();
    Kernels.Impl scalar = new ScalarKernels();
    SplittableRandom random = new SplittableRandom(2);
    float[] x = new float[10_007];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextDouble() * 200 - 100);
    }
    float[] fromVector = new float[x.length];
    float[] fromScalar = new float[x.length];
    vector.exp(x, 3, fromVector, 1, x.length - 3);
    scalar.exp(x, 3, fromScalar, 1, x.length - 3);
    assertArrayEquals(fromScalar, fromVector);
    for (int length : new int[] {0, 1, 7, 8, 9, 64, 1000}) {
      float[] y = new float[length + 5];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) random.nextGaussian();
      }
      float[] yVector = y.clone();
      float[] yScalar = y.clone();
      vector.axpy(-1.7f, x, 11, yVector, 4, length);
      scalar.axpy(-1.7f, x, 11, yScalar, 4, length);
      assertArrayEquals(yScalar, yVector, "axpy of " + length);
      for (int i = 0; i < y.length; i++) {
        float expected = i >= 4 && i < 4 + length ? y[i] + -1.7f * x[11 + i - 4] : y[i];
        assertEquals(expected, yScalar[i], "axpy of " + length + " at " + i);
      }
    }
    for (long key : new long[] {0, 1, -1, 0x9E3779B97F4A7C15L, random.nextLong()}) {
      vector.gaussian(key, 17, fromVector, 2, x.length - 2);
      scalar.gaussian(key, 17, fromScalar, 2, x.length - 2);
      assertArrayEquals(fromScalar, fromVector);
    }
  }

  @Test
  void aStreamFilledInPiecesEqualsTheStreamFilledAtOnce() {
    float[] whole = new float[1000];
    float[] pieces = new float[1000];
    Kernels.gaussian(42, 0, whole, 0, 1000);
    Kernels.gaussian(42, 0, pieces, 0, 333);
    Kernels.gaussian(42, 333, pieces, 333, 667);
    assertArrayEquals(whole, pieces);
  }
}
