package io.turbovbi.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.GradientCheck;
import io.turbovbi.nn.Initialisation;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.Pass;
import org.junit.jupiter.api.Test;

class VariationalGradientTest {
  @Test
  void variationalDenseMeanAndVarianceGradientsMatchFiniteDifferences() {
    GradientCheck.check(new VariationalDense(6, 4, Initialisation.HE, -3), 5, 11);
  }

  @Test
  void variationalConvMeanAndVarianceGradientsMatchFiniteDifferences() {
    GradientCheck.check(new VariationalConv2D(new ConvGeometry(2, 6, 6, 3, 3, 1, 0), Initialisation.HE, -3), 2, 12);
  }

  @Test
  void variationalConvWithStrideAndPaddingMatchesFiniteDifferences() {
    GradientCheck.check(new VariationalConv2D(new ConvGeometry(2, 7, 5, 2, 3, 2, 1), Initialisation.GLOROT, -3), 2,
        13);
  }

  @Test
  void variationalConvGradientsMatchFiniteDifferencesWhenBackwardFoldsOneSampleAtATime() {
    GradientCheck.check(new VariationalConv2D(new ConvGeometry(2, 7, 5, 2, 3, 2, 1), Initialisation.GLOROT, -3, 1), 3,
        14);
    GradientCheck.check(new VariationalConv2D(new ConvGeometry(2, 6, 6, 3, 3, 1, 0), Initialisation.HE, -3, 1), 3, 15);
  }

  @Test
  void evaluationUsesTheMeanNetwork() {
    VariationalDense variational = new VariationalDense(3, 2, Initialisation.HE, 0);
    io.turbovbi.nn.DenseLayer deterministic = new io.turbovbi.nn.DenseLayer(3, 2, Initialisation.HE);
    // mu (6), logvar (6), bias (2) for the variational layer; weight (6), bias (2) for the deterministic one.
    float[] mu = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f};
    float[] bias = {0.1f, -0.2f};
    float[] vParams = new float[14];
    System.arraycopy(mu, 0, vParams, 0, 6);
    java.util.Arrays.fill(vParams, 6, 12, 1f);
    System.arraycopy(bias, 0, vParams, 12, 2);
    float[] dParams = new float[8];
    System.arraycopy(mu, 0, dParams, 0, 6);
    System.arraycopy(bias, 0, dParams, 6, 2);
    float[] input = {1f, 2f, 3f, -1f, 0.5f, 4f};
    variational.prepare(vParams, 0, 0, variational.preparedLength());
    float[] expected = deterministic.forward(dParams, 0, input, 2, deterministic.newBuffers(2), Pass.EVALUATION)
        .clone();
    float[] mean = variational.forward(vParams, 0, input, 2, variational.newBuffers(2), Pass.EVALUATION);
    assertArrayEquals(expected, java.util.Arrays.copyOf(mean, 4), 1e-6f);
    float[] sampled = variational.forward(vParams, 0, input, 2, variational.newBuffers(2),
        Pass.training(new long[] {1, 2}));
    assertNotEquals(expected[0], sampled[0], "training must sample around the mean");
  }

  @Test
  void noiseOfASampleDependsOnlyOnItsKey() {
    VariationalDense layer = new VariationalDense(4, 3, Initialisation.HE, -1);
    float[] params = new float[4 * 3 * 2 + 3];
    layer.initialise(params, 0, new java.util.SplittableRandom(5));
    layer.prepare(params, 0, 0, layer.preparedLength());
    float[] two = {1, 2, 3, 4, -1, -2, -3, -4};
    Layer.Buffers buffers = layer.newBuffers(2);
    float[] pair = layer.forward(params, 0, two, 2, buffers, Pass.training(new long[] {7, 8})).clone();
    float[] single = layer.forward(params, 0, java.util.Arrays.copyOfRange(two, 4, 8), 1, layer.newBuffers(1),
        Pass.training(new long[] {8}));
    for (int j = 0; j < 3; j++) {
      assertEquals(pair[3 + j], single[j], 0f, "output " + j + " of the second sample");
    }
  }
}
