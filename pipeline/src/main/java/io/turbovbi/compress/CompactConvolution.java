package io.turbovbi.compress;

/**
 * A convolution as a GEMM over the kept columns only (DESIGN 6): of the [Cout x Cin*k*k] weight matrix, the columns
 * (channel, ky, kx) with any non-zero are kept ({@link KeptColumns}), the input is unfolded for those columns alone,
 * and the compacted matrix [Cout x kept] multiplies it through a {@link WeightKernel}. Batches are channel-major
 * ({@code C x n x H x W}) in and out.
 */
final class CompactConvolution {
  private final KeptColumns columns;
  private final WeightKernel kernel;

  /**
   * @param kernelOf builds the kernel of the compacted matrix [Cout x kept] (row-major) and the bias
   */
  CompactConvolution(KeptColumns columns, float[] params, int weightOffset, float[] bias, KernelFactory kernelOf) {
    this.columns = columns;
    this.kernel = kernelOf.create(columns.compact(params, weightOffset), bias, columns.outChannels(),
        columns.count());
  }

  /** Builds a kernel from a row-major matrix, its bias, rows and columns. */
  interface KernelFactory {
    WeightKernel create(float[] weights, float[] bias, int rows, int cols);
  }

  String kernelName() {
    return kernel.name();
  }

  /**
   * The convolution of n samples into output, through {@code unfolded} (at least
   * {@link KeptColumns#unfoldedLength(int)} floats, its content overwritten): buffers the caller keeps, so that a
   * forward pass allocates nothing.
   */
  void apply(float[] input, int n, float[] unfolded, float[] output) {
    columns.unfold(input, n, unfolded);
    kernel.multiply(unfolded, columns.width(n), output);
  }
}
