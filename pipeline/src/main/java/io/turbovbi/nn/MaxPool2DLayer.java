package io.turbovbi.nn;

import java.util.Arrays;

/** Max pooling over square windows of a channel-major batch, without padding. */
public final class MaxPool2DLayer implements Layer {
  private final int channels;
  private final int inHeight;
  private final int inWidth;
  private final int size;
  private final int stride;

  public MaxPool2DLayer(int channels, int inHeight, int inWidth, int size, int stride) {
    if (channels <= 0 || size <= 0 || stride <= 0 || inHeight < size || inWidth < size) {
      throw new IllegalArgumentException("pool " + size + " (stride " + stride + ") does not fit an input of "
          + channels + "x" + inHeight + "x" + inWidth);
    }
    this.channels = channels;
    this.inHeight = inHeight;
    this.inWidth = inWidth;
    this.size = size;
    this.stride = stride;
  }

  public int inHeight() {
    return inHeight;
  }

  public int inWidth() {
    return inWidth;
  }

  public int outHeight() {
    return (inHeight - size) / stride + 1;
  }

  public int outWidth() {
    return (inWidth - size) / stride + 1;
  }

  public int channels() {
    return channels;
  }

  /** The side of the square window. */
  public int size() {
    return size;
  }

  public int stride() {
    return stride;
  }

  private static final class PoolBuffers implements Buffers {
    final float[] output;
    final int[] argmax;
    final float[] gradInput;

    PoolBuffers(int outLength, int inLength) {
      output = new float[outLength];
      argmax = new int[outLength];
      gradInput = new float[inLength];
    }
  }

  @Override
  public String describe() {
    return "maxpool(" + size + (stride != size ? ", stride " + stride : "") + ")";
  }

  @Override
  public int inputSize() {
    return channels * inHeight * inWidth;
  }

  @Override
  public int outputSize() {
    return channels * outHeight() * outWidth();
  }

  @Override
  public boolean spatialInput() {
    return true;
  }

  @Override
  public Buffers newBuffers(int maxBatch) {
    return new PoolBuffers(maxBatch * outputSize(), maxBatch * inputSize());
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, int n, Buffers buffers, Pass pass) {
    PoolBuffers b = (PoolBuffers) buffers;
    int outH = outHeight();
    int outW = outWidth();
    int planes = channels * n;
    if (size == 2 && stride == 2) {
      forwardTwoByTwo(input, planes, b);
      return b.output;
    }
    for (int plane = 0; plane < planes; plane++) {
      int in = plane * inHeight * inWidth;
      int out = plane * outH * outW;
      for (int oy = 0; oy < outH; oy++) {
        for (int ox = 0; ox < outW; ox++) {
          int best = in + oy * stride * inWidth + ox * stride;
          float max = input[best];
          for (int dy = 0; dy < size; dy++) {
            int row = in + (oy * stride + dy) * inWidth + ox * stride;
            for (int dx = 0; dx < size; dx++) {
              float v = input[row + dx];
              if (v > max) {
                max = v;
                best = row + dx;
              }
            }
          }
          b.output[out + oy * outW + ox] = max;
          b.argmax[out + oy * outW + ox] = best;
        }
      }
    }
    return b.output;
  }

  /** The common 2x2 window with stride 2, written without inner loops so that the compiler can use selects. */
  private void forwardTwoByTwo(float[] input, int planes, PoolBuffers b) {
    int outH = outHeight();
    int outW = outWidth();
    for (int plane = 0; plane < planes; plane++) {
      int in = plane * inHeight * inWidth;
      int out = plane * outH * outW;
      for (int oy = 0; oy < outH; oy++) {
        int top = in + 2 * oy * inWidth;
        int bottom = top + inWidth;
        int row = out + oy * outW;
        for (int ox = 0; ox < outW; ox++) {
          int i = top + 2 * ox;
          int j = bottom + 2 * ox;
          float upper = Math.max(input[i], input[i + 1]);
          float lower = Math.max(input[j], input[j + 1]);
          int upperIndex = input[i + 1] > input[i] ? i + 1 : i;
          int lowerIndex = input[j + 1] > input[j] ? j + 1 : j;
          b.output[row + ox] = Math.max(upper, lower);
          b.argmax[row + ox] = lower > upper ? lowerIndex : upperIndex;
        }
      }
    }
  }

  @Override
  public float[] backward(float[] params, int offset, float[] gradOutput, int n, Buffers buffers,
                          float[] gradients, boolean needInputGradient) {
    if (!needInputGradient) {
      return null;
    }
    PoolBuffers b = (PoolBuffers) buffers;
    Arrays.fill(b.gradInput, 0, n * inputSize(), 0f);
    int outLength = n * outputSize();
    for (int i = 0; i < outLength; i++) {
      b.gradInput[b.argmax[i]] += gradOutput[i];
    }
    return b.gradInput;
  }
}
