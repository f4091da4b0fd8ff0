package io.turbovbi.compress;

import io.turbovbi.nn.MaxPool2DLayer;

/**
 * Max pooling for inference: the maxima of each window of a channel-major batch ({@code C x n x H x W}), into a
 * buffer kept between calls, without the record of where each maximum was that training's backward pass needs.
 */
final class InferencePooling {
  private final MaxPool2DLayer pool;
  private final float[] output;
  private final float[] rowMax;

  /** @param maxSamples the most samples a call may pass */
  InferencePooling(MaxPool2DLayer pool, int maxSamples) {
    this.pool = pool;
    this.output = new float[pool.outputSize() * maxSamples];
    this.rowMax = new float[pool.inWidth()];
  }

  /** The pooled n samples, in the first {@code C * n * outH * outW} floats of the returned buffer. */
  float[] apply(float[] input, int n) {
    int planes = pool.channels() * n;
    if (pool.size() == 2 && pool.stride() == 2) {
      poolTwoByTwo(input, planes);
      return output;
    }
    int inW = pool.inWidth();
    int inPlane = pool.inHeight() * inW;
    int outH = pool.outHeight();
    int outW = pool.outWidth();
    int size = pool.size();
    int stride = pool.stride();
    for (int plane = 0; plane < planes; plane++) {
      for (int oy = 0; oy < outH; oy++) {
        int top = plane * inPlane + oy * stride * inW;
        int row = (plane * outH + oy) * outW;
        for (int ox = 0; ox < outW; ox++) {
          int corner = top + ox * stride;
          float max = input[corner];
          for (int dy = 0; dy < size; dy++) {
            for (int dx = 0; dx < size; dx++) {
              max = Math.max(max, input[corner + dy * inW + dx]);
            }
          }
          output[row + ox] = max;
        }
      }
    }
    return output;
  }

  /**
   * The common 2x2 window with stride 2 in two plain loops: the larger of two input rows first, then of
   * neighbouring columns of that.
   */
  private void poolTwoByTwo(float[] input, int planes) {
    int inW = pool.inWidth();
    int inPlane = pool.inHeight() * inW;
    int outH = pool.outHeight();
    int outW = pool.outWidth();
    for (int plane = 0; plane < planes; plane++) {
      for (int oy = 0; oy < outH; oy++) {
        int top = plane * inPlane + 2 * oy * inW;
        int row = (plane * outH + oy) * outW;
        for (int x = 0; x < 2 * outW; x++) {
          rowMax[x] = Math.max(input[top + x], input[top + inW + x]);
        }
        for (int ox = 0; ox < outW; ox++) {
          output[row + ox] = Math.max(rowMax[2 * ox], rowMax[2 * ox + 1]);
        }
      }
    }
  }
}
