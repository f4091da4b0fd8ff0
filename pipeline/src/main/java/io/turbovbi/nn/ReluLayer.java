package io.turbovbi.nn;

/** max(0, x), elementwise; works on either layout. */
public final class ReluLayer implements Layer {
  private final int size;
  private final boolean spatial;

  public ReluLayer(int size, boolean spatial) {
    this.size = size;
    this.spatial = spatial;
  }

  private static final class ReluBuffers implements Buffers {
    final float[] output;
    final float[] gradInput;

    ReluBuffers(int length) {
      output = new float[length];
      gradInput = new float[length];
    }
  }

  @Override
  public String describe() {
    return "relu";
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public boolean spatialInput() {
    return spatial;
  }

  @Override
  public Buffers newBuffers(int maxBatch) {
    return new ReluBuffers(maxBatch * size);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, int n, Buffers buffers, Pass pass) {
    float[] output = ((ReluBuffers) buffers).output;
    int length = n * size;
    for (int i = 0; i < length; i++) {
      output[i] = Math.max(input[i], 0f);
    }
    return output;
  }

  @Override
  public float[] backward(float[] params, int offset, float[] gradOutput, int n, Buffers buffers,
                          float[] gradients, boolean needInputGradient) {
    if (!needInputGradient) {
      return null;
    }
    ReluBuffers b = (ReluBuffers) buffers;
    int length = n * size;
    for (int i = 0; i < length; i++) {
      // Outputs are +0 or positive: their bits are 0 exactly when the unit is off. A bit mask instead of an
      // unpredictable branch lets the loop vectorise (measured 0.4 against 5 ns per element).
      int bits = Float.floatToRawIntBits(b.output[i]);
      int on = (bits | -bits) >> 31;
      b.gradInput[i] = Float.intBitsToFloat(Float.floatToRawIntBits(gradOutput[i]) & on);
    }
    return b.gradInput;
  }
}
