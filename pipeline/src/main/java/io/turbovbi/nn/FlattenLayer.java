package io.turbovbi.nn;

/**
 * Turns a channel-major batch {@code C x n x H x W} into rows {@code n x (C*H*W)}, each row in (c, y, x) order as
 * in PyTorch and ONNX.
 */
public final class FlattenLayer implements Layer {
  private final int channels;
  private final int plane;

  public FlattenLayer(int channels, int plane) {
    this.channels = channels;
    this.plane = plane;
  }

  private static final class FlattenBuffers implements Buffers {
    final float[] output;
    final float[] gradInput;

    FlattenBuffers(int length) {
      output = new float[length];
      gradInput = new float[length];
    }
  }

  @Override
  public String describe() {
    return "flatten";
  }

  @Override
  public int inputSize() {
    return channels * plane;
  }

  @Override
  public int outputSize() {
    return channels * plane;
  }

  @Override
  public boolean spatialInput() {
    return true;
  }

  @Override
  public boolean spatialOutput() {
    return false;
  }

  @Override
  public Buffers newBuffers(int maxBatch) {
    return new FlattenBuffers(maxBatch * channels * plane);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, int n, Buffers buffers, Pass pass) {
    float[] output = ((FlattenBuffers) buffers).output;
    toRows(input, n, channels, plane, output);
    return output;
  }

  @Override
  public float[] backward(float[] params, int offset, float[] gradOutput, int n, Buffers buffers,
                          float[] gradients, boolean needInputGradient) {
    if (!needInputGradient) {
      return null;
    }
    float[] gradInput = ((FlattenBuffers) buffers).gradInput;
    toChannelMajor(gradOutput, n, channels, plane, gradInput);
    return gradInput;
  }

  /** {@code C x n x P} to {@code n x C x P}. */
  public static void toRows(float[] channelMajor, int n, int channels, int plane, float[] rows) {
    for (int c = 0; c < channels; c++) {
      for (int s = 0; s < n; s++) {
        System.arraycopy(channelMajor, (c * n + s) * plane, rows, (s * channels + c) * plane, plane);
      }
    }
  }

  /** {@code n x C x P} to {@code C x n x P}. */
  public static void toChannelMajor(float[] rows, int n, int channels, int plane, float[] channelMajor) {
    for (int c = 0; c < channels; c++) {
      for (int s = 0; s < n; s++) {
        System.arraycopy(rows, (s * channels + c) * plane, channelMajor, (c * n + s) * plane, plane);
      }
    }
  }
}
