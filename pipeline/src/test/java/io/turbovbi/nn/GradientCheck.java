package io.turbovbi.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/**
 * Finite-difference checks of a layer's backward pass: for a random projection L = sum_j r_j y_j of the layer's
 * output y, the analytic gradients of L with respect to every parameter and every input are compared with central
 * differences.
 */
public final class GradientCheck {
  private static final float STEP = 1e-2f;
  private static final double RELATIVE_TOLERANCE = 2e-2;
  private static final double ABSOLUTE_TOLERANCE = 2e-3;

  private GradientCheck() {}

  /** Runs the check for a batch of n samples; returns the largest relative error seen. */
  public static double check(Layer layer, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int offset = 3;
    int paramCount = layer.parameters().stream().mapToInt(Layer.Slot::length).sum();
    float[] params = new float[offset + paramCount];
    layer.initialise(params, offset, random.split());
    int cursor = offset;
    for (Layer.Slot slot : layer.parameters()) {
      for (int i = cursor; i < cursor + slot.length(); i++) {
        params[i] = switch (slot.kind()) {
          case WEIGHT, BIAS -> (float) random.nextGaussian() * 0.5f;
          case LOGVAR -> (float) (-3 + random.nextDouble());
        };
      }
      cursor += slot.length();
    }
    float[] input = spacedInput(n * layer.inputSize(), random);
    float[] projection = new float[n * layer.outputSize()];
    for (int i = 0; i < projection.length; i++) {
      projection[i] = (float) random.nextGaussian();
    }
    long[] keys = random.longs(n).toArray();
    Layer.Buffers buffers = layer.newBuffers(n);

    layer.prepare(params, offset, 0, layer.preparedLength());
    layer.forward(params, offset, input, n, buffers, Pass.training(keys));
    float[] gradients = new float[params.length];
    float[] gradInput = layer.backward(params, offset, projection, n, buffers, gradients, true);
    layer.finishGradient(params, offset, gradients);

    double worst = 0;
    for (int i = offset; i < params.length; i++) {
      double numeric = centralDifference(layer, params, offset, input, n, buffers, keys, projection, params, i);
      worst = Math.max(worst, compare("parameter " + (i - offset) + " of " + layer.describe(), gradients[i],
          numeric));
    }
    if (gradInput != null) {
      for (int i = 0; i < input.length; i++) {
        double numeric = centralDifference(layer, params, offset, input, n, buffers, keys, projection, input, i);
        worst = Math.max(worst, compare("input " + i + " of " + layer.describe(), gradInput[i], numeric));
      }
    }
    return worst;
  }

  /**
   * Distinct values 0.05 apart, none closer than 0.025 to zero, in random order: no max-pooling tie and no ReLU
   * kink lies within a finite-difference step.
   */
  private static float[] spacedInput(int length, SplittableRandom random) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (i - length / 2) * 0.05f + 0.025f;
    }
    for (int i = length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }

  private static double centralDifference(Layer layer, float[] params, int offset, float[] input, int n,
                                          Layer.Buffers buffers, long[] keys, float[] projection, float[] target,
                                          int index) {
    float saved = target[index];
    target[index] = saved + STEP;
    double plus = projected(layer, params, offset, input, n, buffers, keys, projection);
    target[index] = saved - STEP;
    double minus = projected(layer, params, offset, input, n, buffers, keys, projection);
    target[index] = saved;
    return (plus - minus) / (2 * STEP);
  }

  private static double projected(Layer layer, float[] params, int offset, float[] input, int n,
                                  Layer.Buffers buffers, long[] keys, float[] projection) {
    layer.prepare(params, offset, 0, layer.preparedLength());
    float[] output = layer.forward(params, offset, input, n, buffers, Pass.training(keys));
    double sum = 0;
    for (int i = 0; i < projection.length; i++) {
      sum += (double) projection[i] * output[i];
    }
    return sum;
  }

  private static double compare(String what, double analytic, double numeric) {
    double error = Math.abs(analytic - numeric);
    double relative = error / Math.max(Math.abs(numeric), 1.0);
    assertTrue(error <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(numeric),
        () -> what + ": analytic " + analytic + " vs finite difference " + numeric);
    return relative;
  }
}
