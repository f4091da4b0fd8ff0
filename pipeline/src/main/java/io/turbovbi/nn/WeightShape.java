package io.turbovbi.nn;

/**
 * The shape of a layer's weights: {@code outputs x inputs} for a dense layer (kernel 1), and
 * {@code outputs x inputs x kernel x kernel} (output channels, input channels) for a convolution.
 */
public record WeightShape(int outputs, int inputs, int kernel) {
  public WeightShape {
    if (outputs <= 0 || inputs <= 0 || kernel <= 0) {
      throw new IllegalArgumentException("invalid weight shape " + outputs + "x" + inputs + "x" + kernel);
    }
  }

  public static WeightShape dense(int outputs, int inputs) {
    return new WeightShape(outputs, inputs, 1);
  }

  public boolean convolutional() {
    return kernel > 1;
  }

  public int count() {
    return outputs * inputs * kernel * kernel;
  }

  /** The array dimensions of the weights: {@code [outputs, inputs]} or {@code [outputs, inputs, kernel, kernel]}. */
  public int[] dims() {
    return convolutional() ? new int[] {outputs, inputs, kernel, kernel} : new int[] {outputs, inputs};
  }
}
