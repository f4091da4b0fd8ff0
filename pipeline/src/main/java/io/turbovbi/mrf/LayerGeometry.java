package io.turbovbi.mrf;

/**
 * What the support graph of a weight layer needs to know of the network (DESIGN 1, support graphs): the layer's
 * weight shape and, for a dense layer, the shape of its input. Weights are stored row-major: dense [out x in], conv
 * [out][in][k][k]; a dense layer's input index is (c * height + y) * width + x.
 *
 * @param outputs  neurons or output channels (filters)
 * @param inputs   inputs of a dense layer (channels x height x width), input channels of a convolution
 * @param kernel   kernel side of a convolution, 1 for a dense layer
 * @param channels input channels of a dense layer (its inputs when they are hidden units); 1 for a convolution
 * @param height   input height of a dense layer fed by an image or a conv stack, else 1
 * @param width    input width of a dense layer fed by an image or a conv stack, else 1
 */
public record LayerGeometry(int outputs, int inputs, int kernel, int channels, int height, int width) {

  public LayerGeometry {
    if (outputs < 1 || inputs < 1 || kernel < 1 || channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("invalid layer geometry " + outputs + "x" + inputs + "x" + kernel
          + " on input " + channels + "x" + height + "x" + width);
    }
    if (kernel == 1 && (long) channels * height * width != inputs) {
      throw new IllegalArgumentException("a dense layer of " + inputs + " inputs cannot read a " + channels + "x"
          + height + "x" + width + " input");
    }
    if ((long) outputs * inputs * kernel * kernel > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many weights in one layer: " + outputs + "x" + inputs + "x" + kernel
          + "x" + kernel);
    }
  }

  /** A convolution [out][in][k][k] (a 1 x 1 convolution reads its input channels as hidden units). */
  public static LayerGeometry conv(int outputs, int inputs, int kernel) {
    return kernel == 1 ? dense(outputs, inputs) : new LayerGeometry(outputs, inputs, kernel, 1, 1, 1);
  }

  /** A dense layer fed by hidden units (input order arbitrary). */
  public static LayerGeometry dense(int outputs, int inputs) {
    return new LayerGeometry(outputs, inputs, 1, inputs, 1, 1);
  }

  /** A dense layer fed by an image or a conv stack of channels x height x width. */
  public static LayerGeometry denseOnImage(int outputs, int channels, int height, int width) {
    return new LayerGeometry(outputs, channels * height * width, 1, channels, height, width);
  }

  public boolean convolutional() {
    return kernel > 1;
  }

  /** Whether this dense layer reads planes of more than one pixel (its weights then form grids per channel). */
  public boolean imageInput() {
    return kernel == 1 && height * width > 1;
  }

  public int count() {
    return outputs * inputs * kernel * kernel;
  }

  /** The weight-matrix grid of the grid, rows and iid modes. */
  SupportGrid grid() {
    return convolutional() ? SupportGrid.conv(outputs, inputs, kernel) : SupportGrid.dense(outputs, inputs);
  }
}
