package io.turbovbi.nn;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A 2-D convolution over a channel-major batch, computed as im2col + one matrix product per chunk. Kernels are
 * stored {@code [outChannels x inChannels x k x k]}, the layout of the support grid in DESIGN.md section 1.
 */
public final class Conv2DLayer implements Layer {
  private final ConvGeometry geometry;
  private final Initialisation initialisation;
  private final int foldBlockFloats;

  public Conv2DLayer(ConvGeometry geometry, Initialisation initialisation) {
    this(geometry, initialisation, Im2Col.FOLD_BLOCK_FLOATS);
  }

  /** With the size of backward's blocks of column gradients given (tests use tiny blocks). */
  Conv2DLayer(ConvGeometry geometry, Initialisation initialisation, int foldBlockFloats) {
    this.geometry = geometry;
    this.initialisation = initialisation;
    this.foldBlockFloats = foldBlockFloats;
  }

  public ConvGeometry geometry() {
    return geometry;
  }

  private static final class ConvBuffers implements Buffers {
    final float[] columns;
    final float[] output;
    /** Samples per block of the input gradient; gradOutputBlock and gradColumns hold one block. */
    final int foldBlock;
    final float[] gradOutputBlock;
    final float[] gradColumns;
    final float[] gradInput;

    ConvBuffers(ConvGeometry g, int maxBatch, int foldBlockFloats) {
      columns = new float[g.patchSize() * maxBatch * g.outPlane()];
      output = new float[maxBatch * g.outputSize()];
      foldBlock = Im2Col.foldBlock(g, maxBatch, foldBlockFloats);
      gradOutputBlock = new float[g.outChannels() * foldBlock * g.outPlane()];
      gradColumns = new float[g.patchSize() * foldBlock * g.outPlane()];
      gradInput = new float[maxBatch * g.inputSize()];
    }
  }

  @Override
  public String describe() {
    ConvGeometry g = geometry;
    return "conv(" + g.inChannels() + "->" + g.outChannels() + ", " + g.kernel() + "x" + g.kernel()
        + (g.stride() != 1 ? ", stride " + g.stride() : "") + (g.padding() != 0 ? ", pad " + g.padding() : "")
        + ")";
  }

  @Override
  public int inputSize() {
    return geometry.inputSize();
  }

  @Override
  public int outputSize() {
    return geometry.outputSize();
  }

  @Override
  public boolean spatialInput() {
    return true;
  }

  @Override
  public List<Slot> parameters() {
    return List.of(new Slot(ParamKind.WEIGHT, geometry.weightCount()), new Slot(ParamKind.BIAS,
        geometry.outChannels()));
  }

  @Override
  public WeightShape weightShape() {
    return new WeightShape(geometry.outChannels(), geometry.inChannels(), geometry.kernel());
  }

  @Override
  public void initialise(float[] params, int offset, RandomGenerator random) {
    int k2 = geometry.kernel() * geometry.kernel();
    initialisation.fill(params, offset, geometry.weightCount(), geometry.inChannels() * k2,
        geometry.outChannels() * k2, random);
  }

  @Override
  public long forwardMultiplyAdds() {
    return (long) geometry.weightCount() * geometry.outPlane();
  }

  @Override
  public long trainingFlops(boolean needInputGradient) {
    return 2 * forwardMultiplyAdds() * (needInputGradient ? 3 : 2);
  }

  @Override
  public Buffers newBuffers(int maxBatch) {
    return new ConvBuffers(geometry, maxBatch, foldBlockFloats);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, int n, Buffers buffers, Pass pass) {
    ConvBuffers b = (ConvBuffers) buffers;
    Im2Col.unfold(geometry, input, n, b.columns);
    Matrices.convAffine(geometry, params, offset, offset + geometry.weightCount(), b.columns, n, b.output);
    return b.output;
  }

  @Override
  public float[] backward(float[] params, int offset, float[] gradOutput, int n, Buffers buffers,
                          float[] gradients, boolean needInputGradient) {
    ConvBuffers b = (ConvBuffers) buffers;
    ConvGeometry g = geometry;
    int width = n * g.outPlane();
    Blas.gemm(false, true, g.outChannels(), g.patchSize(), width, 1f, gradOutput, 0, b.columns, 0, 1f, gradients,
        offset);
    Matrices.addRowSums(gradOutput, g.outChannels(), width, gradients, offset + g.weightCount());
    if (!needInputGradient) {
      return null;
    }
    // d columns = W^T g a block of samples at a time, folded onto the input while still in cache.
    java.util.Arrays.fill(b.gradInput, 0, n * g.inputSize(), 0f);
    int plane = g.outPlane();
    for (int first = 0; first < n; first += b.foldBlock) {
      int count = Math.min(b.foldBlock, n - first);
      Matrices.copyColumns(gradOutput, width, first * plane, count * plane, g.outChannels(), b.gradOutputBlock);
      Blas.gemm(true, false, g.patchSize(), count * plane, g.outChannels(), 1f, params, offset, b.gradOutputBlock, 0,
          0f, b.gradColumns, 0);
      Im2Col.fold(g, b.gradColumns, n, first, count, b.gradInput);
    }
    return b.gradInput;
  }
}
