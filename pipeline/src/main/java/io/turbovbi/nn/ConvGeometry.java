package io.turbovbi.nn;

/**
 * The shape of a 2-D convolution over square kernels: input {@code inChannels x inHeight x inWidth}, kernels
 * {@code outChannels x inChannels x kernel x kernel}, stride and zero padding equal in both directions.
 */
public record ConvGeometry(int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride,
                           int padding) {
  public ConvGeometry {
    if (inChannels <= 0 || inHeight <= 0 || inWidth <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0
        || padding < 0) {
      throw new IllegalArgumentException("invalid convolution: " + this);
    }
    if (inHeight + 2 * padding < kernel || inWidth + 2 * padding < kernel) {
      throw new IllegalArgumentException("kernel " + kernel + " does not fit an input of " + inHeight + "x"
          + inWidth + " with padding " + padding);
    }
  }

  public int outHeight() {
    return (inHeight + 2 * padding - kernel) / stride + 1;
  }

  public int outWidth() {
    return (inWidth + 2 * padding - kernel) / stride + 1;
  }

  /** Positions of one output channel per sample. */
  public int outPlane() {
    return outHeight() * outWidth();
  }

  /** The first output row or column whose input position under kernel offset {@code k} is not padding. */
  public int firstValidOutput(int k) {
    return Math.max(0, ceilDiv(padding - k, stride));
  }

  /** One past the last output row whose input row under kernel row {@code ky} is not padding. */
  public int validOutputRowsEnd(int ky) {
    return Math.min(outHeight(), ceilDiv(inHeight + padding - ky, stride));
  }

  /** One past the last output column whose input column under kernel column {@code kx} is not padding. */
  public int validOutputColumnsEnd(int kx) {
    return Math.min(outWidth(), ceilDiv(inWidth + padding - kx, stride));
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  public int inPlane() {
    return inHeight * inWidth;
  }

  /** Rows of the im2col matrix: inChannels * kernel * kernel. */
  public int patchSize() {
    return inChannels * kernel * kernel;
  }

  public int weightCount() {
    return outChannels * patchSize();
  }

  public int inputSize() {
    return inChannels * inPlane();
  }

  public int outputSize() {
    return outChannels * outPlane();
  }
}
