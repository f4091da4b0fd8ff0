package io.turbovbi.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerGradientTest {
  @Test
  void denseBackwardMatchesFiniteDifferences() {
    GradientCheck.check(new DenseLayer(7, 5, Initialisation.HE), 4, 1);
  }

  @Test
  void convBackwardMatchesFiniteDifferences() {
    GradientCheck.check(new Conv2DLayer(new ConvGeometry(2, 6, 5, 3, 3, 1, 0), Initialisation.HE), 3, 2);
  }

  @Test
  void convWithStrideAndPaddingMatchesFiniteDifferences() {
    GradientCheck.check(new Conv2DLayer(new ConvGeometry(3, 7, 6, 2, 3, 2, 1), Initialisation.GLOROT), 2, 3);
    GradientCheck.check(new Conv2DLayer(new ConvGeometry(1, 5, 5, 2, 2, 3, 2), Initialisation.HE), 2, 4);
  }

  @Test
  void convGradientsMatchFiniteDifferencesWhenBackwardFoldsOneSampleAtATime() {
    GradientCheck.check(new Conv2DLayer(new ConvGeometry(2, 6, 5, 3, 3, 1, 0), Initialisation.HE, 1), 3, 5);
    GradientCheck.check(new Conv2DLayer(new ConvGeometry(3, 7, 6, 2, 3, 2, 1), Initialisation.GLOROT, 1), 3, 6);
  }

  @Test
  void maxPoolBackwardMatchesFiniteDifferences() {
    GradientCheck.check(new MaxPool2DLayer(2, 6, 4, 2, 2), 3, 5);
    GradientCheck.check(new MaxPool2DLayer(1, 7, 7, 3, 2), 2, 6);
  }

  @Test
  void reluBackwardMatchesFiniteDifferences() {
    GradientCheck.check(new ReluLayer(9, false), 4, 7);
  }

  @Test
  void flattenBackwardMatchesFiniteDifferences() {
    GradientCheck.check(new FlattenLayer(3, 4), 2, 8);
  }

  @Test
  void checkerRejectsAWrongGradient() {
    // A layer whose backward doubles its weight gradient must fail the check.
    Layer doubled = new Layer() {
      private final DenseLayer inner = new DenseLayer(3, 2, Initialisation.HE);

      @Override
      public String describe() {
        return "doubled";
      }

      @Override
      public int inputSize() {
        return 3;
      }

      @Override
      public int outputSize() {
        return 2;
      }

      @Override
      public boolean spatialInput() {
        return false;
      }

      @Override
      public java.util.List<Slot> parameters() {
        return inner.parameters();
      }

      @Override
      public Buffers newBuffers(int maxBatch) {
        return inner.newBuffers(maxBatch);
      }

      @Override
      public float[] forward(float[] params, int offset, float[] input, int n, Buffers buffers, Pass pass) {
        return inner.forward(params, offset, input, n, buffers, pass);
      }

      @Override
      public float[] backward(float[] params, int offset, float[] gradOutput, int n, Buffers buffers,
                              float[] gradients, boolean needInputGradient) {
        float[] result = inner.backward(params, offset, gradOutput, n, buffers, gradients, needInputGradient);
        gradients[offset] *= 2;
        return result;
      }
    };
    AssertionError failure = null;
    try {
      GradientCheck.check(doubled, 3, 9);
    } catch (AssertionError e) {
      failure = e;
    }
    assertTrue(failure != null && failure.getMessage().contains("parameter 0"), "a doubled gradient went unnoticed");
  }
}
