package io.turbovbi.data;

import java.io.Serializable;

/**
 * The shape of one input sample, channels x height x width, stored row-major (channel, then row, then column) in a
 * flat feature vector of {@link #size()} values. A plain feature vector of length D is the shape 1 x 1 x D.
 *
 * @param channels number of channels (1 for grey-scale images), &gt; 0
 * @param height rows per channel, &gt; 0
 * @param width columns per row, &gt; 0
 */
public record ImageShape(int channels, int height, int width) implements Serializable {

  /** Checks that every dimension is positive and that the size fits in an int. */
  public ImageShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image shape must have positive dimensions, got " + channels + "x" + height + "x" + width);
    }
    long size = (long) channels * height * width;
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "image shape " + channels + "x" + height + "x" + width + " has " + size + " values, more than an int holds");
    }
  }

  /**
   * Parses the form printed by {@link #toString()}: {@code "1x28x28"} (channels x height x width).
   *
   * @throws IllegalArgumentException if the text is not three positive integers separated by 'x'
   */
  public static ImageShape parse(String text) {
    String[] parts = text.trim().split("\\s*[xX]\\s*", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "image shape must read channels x height x width, e.g. 1x28x28, got '" + text + "'");
    }
    try {
      return new ImageShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "image shape must read channels x height x width, e.g. 1x28x28, got '" + text + "'", e);
    }
  }

  /** Number of values in one sample: channels * height * width. */
  public int size() {
    return channels * height * width;
  }

  /** {@code "CxHxW"}, e.g. {@code "1x28x28"}; {@link #parse(String)} reads it back. */
  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
