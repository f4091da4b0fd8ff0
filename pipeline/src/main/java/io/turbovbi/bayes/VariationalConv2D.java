package io.turbovbi.bayes;

import io.turbovbi.nn.Blas;
import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.Im2Col;
import io.turbovbi.nn.Initialisation;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.Matrices;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.Pass;
import io.turbovbi.nn.WeightShape;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A convolution with q(w) = N(mu, sigma^2) per kernel weight and the local reparameterisation trick: the mean path
 * convolves the input with mu, the variance path convolves the squared input with sigma^2 (DESIGN 2, w-step).
 * Parameters: mu {@code [Cout x Cin x k x k]}, log sigma^2 (same shape), bias {@code [Cout]}.
 */
public final class VariationalConv2D implements Layer {
  private final ConvGeometry geometry;
  private final Initialisation initialisation;
  private final float initialLogVar;
  private final float[] variance;
  private final int foldBlockFloats;

  public VariationalConv2D(ConvGeometry geometry, Initialisation initialisation, double initialLogVar) {
    this(geometry, initialisation, initialLogVar, Im2Col.FOLD_BLOCK_FLOATS);
  }

  /** With the size of backward's blocks of column gradients given (tests use tiny blocks). */
  VariationalConv2D(ConvGeometry geometry, Initialisation initialisation, double initialLogVar,
                    int foldBlockFloats) {
    this.geometry = geometry;
    this.initialisation = initialisation;
    this.initialLogVar = (float) initialLogVar;
    this.variance = new float[geometry.weightCount()];
    this.foldBlockFloats = foldBlockFloats;
  }

  public ConvGeometry geometry() {
    return geometry;
  }

  private static final class Buffers implements Layer.Buffers {
    final float[] columns;
    final float[] squaredColumns;
    final float[] output;
    final float[] outputVariance;
    final float[] noise;
    /** Samples per block of the input gradient; the four buffers below hold one block. */
    final int foldBlock;
    final float[] gradOutputBlock;
    final float[] gradVarianceBlock;
    final float[] gradColumns;
    final float[] gradVariancePath;
    final float[] gradInput;

    Buffers(ConvGeometry g, int maxBatch, int foldBlockFloats) {
      int columnLength = g.patchSize() * maxBatch * g.outPlane();
      int outputLength = maxBatch * g.outputSize();
      columns = new float[columnLength];
      squaredColumns = new float[columnLength];
      output = new float[outputLength];
      outputVariance = new float[outputLength];
      noise = new float[outputLength];
      foldBlock = Im2Col.foldBlock(g, maxBatch, foldBlockFloats);
      gradOutputBlock = new float[g.outChannels() * foldBlock * g.outPlane()];
      gradVarianceBlock = new float[gradOutputBlock.length];
      gradColumns = new float[g.patchSize() * foldBlock * g.outPlane()];
      gradVariancePath = new float[gradColumns.length];
      gradInput = new float[maxBatch * g.inputSize()];
    }
  }

  @Override
  public String describe() {
    ConvGeometry g = geometry;
    return "vconv(" + g.inChannels() + "->" + g.outChannels() + ", " + g.kernel() + "x" + g.kernel()
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
    int weights = geometry.weightCount();
    return List.of(new Slot(ParamKind.WEIGHT, weights), new Slot(ParamKind.LOGVAR, weights),
        new Slot(ParamKind.BIAS, geometry.outChannels()));
  }

  @Override
  public WeightShape weightShape() {
    return new WeightShape(geometry.outChannels(), geometry.inChannels(), geometry.kernel());
  }

  @Override
  public void initialise(float[] params, int offset, RandomGenerator random) {
    int k2 = geometry.kernel() * geometry.kernel();
    int weights = geometry.weightCount();
    initialisation.fill(params, offset, weights, geometry.inChannels() * k2, geometry.outChannels() * k2, random);
    Arrays.fill(params, offset + weights, offset + 2 * weights, initialLogVar);
  }

  @Override
  public int preparedLength() {
    return variance.length;
  }

  @Override
  public void prepare(float[] params, int offset, int from, int to) {
    Variances.exp(params, offset + geometry.weightCount(), variance, from, to);
  }

  @Override
  public long forwardMultiplyAdds() {
    return (long) geometry.weightCount() * geometry.outPlane();
  }

  @Override
  public long trainingFlops(boolean needInputGradient) {
    return 2 * forwardMultiplyAdds() * (needInputGradient ? 6 : 4);
  }

  @Override
  public Layer.Buffers newBuffers(int maxBatch) {
    return new Buffers(geometry, maxBatch, foldBlockFloats);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, int n, Layer.Buffers buffers, Pass pass) {
    Buffers b = (Buffers) buffers;
    ConvGeometry g = geometry;
    int weights = g.weightCount();
    Im2Col.unfold(g, input, n, b.columns);
    Matrices.convAffine(g, params, offset, offset + 2 * weights, b.columns, n, b.output);
    if (!pass.training()) {
      return b.output;
    }
    int width = n * g.outPlane();
    int columnLength = g.patchSize() * width;
    for (int i = 0; i < columnLength; i++) {
      b.squaredColumns[i] = b.columns[i] * b.columns[i];
    }
    Blas.gemm(false, false, g.outChannels(), width, g.patchSize(), 1f, variance, 0, b.squaredColumns, 0, 0f,
        b.outputVariance, 0);
    int plane = g.outPlane();
    for (int s = 0; s < n; s++) {
      long stream = GaussianNoise.stream(pass.noiseKeys()[s], offset);
      for (int o = 0; o < g.outChannels(); o++) {
        GaussianNoise.fill(stream, o * plane, b.noise, o * width + s * plane, plane);
      }
    }
    Variances.sample(b.output, b.outputVariance, b.noise, g.outChannels() * width);
    return b.output;
  }

  @Override
  public float[] backward(float[] params, int offset, float[] gradOutput, int n, Layer.Buffers buffers,
                          float[] gradients, boolean needInputGradient) {
    Buffers b = (Buffers) buffers;
    ConvGeometry g = geometry;
    int weights = g.weightCount();
    int width = n * g.outPlane();
    float[] gradVariance = b.noise;
    Variances.varianceGradient(gradOutput, gradVariance, g.outChannels() * width);
    Blas.gemm(false, true, g.outChannels(), g.patchSize(), width, 1f, gradOutput, 0, b.columns, 0, 1f, gradients,
        offset);
    // Accumulates d/d(sigma^2); finishGradient turns it into d/d(log sigma^2).
    Blas.gemm(false, true, g.outChannels(), g.patchSize(), width, 1f, gradVariance, 0, b.squaredColumns, 0, 1f,
        gradients, offset + weights);
    Matrices.addRowSums(gradOutput, g.outChannels(), width, gradients, offset + 2 * weights);
    if (!needInputGradient) {
      return null;
    }
    // d columns = mu^T g + 2 columns * (sigma^2^T dv), a block of samples at a time, so that the two column
    // gradients are still in cache when they are folded onto the input.
    Arrays.fill(b.gradInput, 0, n * g.inputSize(), 0f);
    int plane = g.outPlane();
    for (int first = 0; first < n; first += b.foldBlock) {
      int count = Math.min(b.foldBlock, n - first);
      int blockWidth = count * plane;
      Matrices.copyColumns(gradOutput, width, first * plane, blockWidth, g.outChannels(), b.gradOutputBlock);
      Matrices.copyColumns(gradVariance, width, first * plane, blockWidth, g.outChannels(), b.gradVarianceBlock);
      Blas.gemm(true, false, g.patchSize(), blockWidth, g.outChannels(), 1f, params, offset, b.gradOutputBlock, 0,
          0f, b.gradColumns, 0);
      Blas.gemm(true, false, g.patchSize(), blockWidth, g.outChannels(), 1f, variance, 0, b.gradVarianceBlock, 0,
          0f, b.gradVariancePath, 0);
      Im2Col.foldWithVariancePath(g, b.gradColumns, b.columns, b.gradVariancePath, n, first, count, b.gradInput);
    }
    return b.gradInput;
  }

  @Override
  public void finishGradient(float[] params, int offset, float[] gradients) {
    Variances.chainToLogVar(gradients, offset + geometry.weightCount(), variance);
  }
}
