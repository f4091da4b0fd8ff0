package io.turbovbi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The normal draws of {@link Kernels#gaussian} against N(0, 1): moments, tail frequencies and independence between
 * draws and between streams. Every tolerance is five standard errors of the statistic under the null hypothesis
 * for the number of draws used, so a correct generator fails with probability below 1e-6 per check; the streams are
 * fixed, so the outcome is the same on every run.
 */
class GaussianStreamStatisticsTest {
  private static final int STREAMS = 64;
  private static final int PER_STREAM = 1 << 16;
  private static final int N = STREAMS * PER_STREAM;
  private static final double FIVE_SIGMA = 5;

  /** Stream keys as the engine makes them: derived from a seed. */
  private static long key(int stream) {
    return Seeds.derive(7, stream);
  }

  private static float[] draws(long key) {
    float[] z = new float[PER_STREAM];
    Kernels.gaussian(key, 0, z, 0, PER_STREAM);
    return z;
  }

  @Test
  void momentsAreThoseOfAStandardNormal() {
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    for (int k = 0; k < STREAMS; k++) {
      for (float v : draws(key(k))) {
        double z = v;
        s1 += z;
        s2 += z * z;
        s3 += z * z * z;
        s4 += z * z * z * z;
      }
    }
    // Standard errors for N draws of N(0, 1): mean 1/sqrt(N), variance sqrt(2/N), skewness sqrt(6/N), excess
    // kurtosis sqrt(24/N) (raw third and fourth moments: sqrt(15/N) and sqrt(96/N)).
    assertEquals(0, s1 / N, FIVE_SIGMA / Math.sqrt(N), "mean");
    assertEquals(1, s2 / N, FIVE_SIGMA * Math.sqrt(2.0 / N), "variance");
    assertEquals(0, s3 / N, FIVE_SIGMA * Math.sqrt(15.0 / N), "third moment");
    assertEquals(3, s4 / N, FIVE_SIGMA * Math.sqrt(96.0 / N), "fourth moment");
  }

  @Test
  void tailsBeyondTwoThreeAndFourSigmaHaveTheNormalFrequencies() {
    double[] thresholds = {2, 3, 4};
    // P(|Z| > t) = erfc(t / sqrt 2).
    double[] probabilities = {0.04550026389635842, 0.0026997960632601866, 6.334248366623996e-05};
    long[] counts = new long[thresholds.length];
    float largest = 0;
    for (int k = 0; k < STREAMS; k++) {
      for (float z : draws(key(k))) {
        largest = Math.max(largest, Math.abs(z));
        for (int t = 0; t < thresholds.length; t++) {
          if (Math.abs(z) > thresholds[t]) {
            counts[t]++;
          }
        }
      }
    }
    for (int t = 0; t < thresholds.length; t++) {
      double expected = N * probabilities[t];
      assertEquals(expected, counts[t], FIVE_SIGMA * Math.sqrt(expected * (1 - probabilities[t])),
          "draws beyond " + thresholds[t] + " sigma");
    }
    assertTrue(largest <= Math.sqrt(46 * Math.log(2)) + 1e-5, "largest |draw| " + largest);
  }

  @Test
  void drawsAreUncorrelatedWithinAndBetweenStreams() {
    float[] first = draws(key(0));
    float[] next = draws(key(0) + 1);
    float[] highHalf = draws(key(0) ^ (1L << 32));
    float[] other = draws(key(1));
    float[] lagged = new float[PER_STREAM];
    System.arraycopy(first, 1, lagged, 0, PER_STREAM - 1);
    lagged[PER_STREAM - 1] = first[0];
    double bound = FIVE_SIGMA / Math.sqrt(PER_STREAM);
    for (float[] b : new float[][] {next, highHalf, other, lagged}) {
      assertEquals(0, correlation(first, b, false), bound, "correlation of draws");
      assertEquals(0, correlation(first, b, true), bound, "correlation of squared draws");
    }
  }

  private static double correlation(float[] a, float[] b, boolean squared) {
    int n = a.length;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = squared ? (double) a[i] * a[i] : a[i];
      y[i] = squared ? (double) b[i] * b[i] : b[i];
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
