package io.turbovbi.nn;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer {@code y = x W^T + b}; W is stored {@code [out x in]} row-major, so row i holds the
 * incoming weights of output neuron i.
 */
public final class DenseLayer implements Layer {
  private final int in;
  private final int out;
  private final Initialisation initialisation;

  public DenseLayer(int in, int out, Initialisation initialisation) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("dense layer needs positive sizes, got " + in + "->" + out);
    }
    this.in = in;
    this.out = out;
    this.initialisation = initialisation;
  }

  private static final class DenseBuffers implements Buffers {
    final float[] output;
    final float[] gradInput;
    float[] input;

    DenseBuffers(int maxBatch, int in, int out) {
      output = new float[maxBatch * out];
      gradInput = new float[maxBatch * in];
    }
  }

  @Override
  public String describe() {
    return "dense(" + in + "->" + out + ")";
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int outputSize() {
    return out;
  }

  @Override
  public boolean spatialInput() {
    return false;
  }

  @Override
  public List<Slot> parameters() {
    return List.of(new Slot(ParamKind.WEIGHT, in * out), new Slot(ParamKind.BIAS, out));
  }

  @Override
  public WeightShape weightShape() {
    return WeightShape.dense(out, in);
  }

  @Override
  public void initialise(float[] params, int offset, RandomGenerator random) {
    initialisation.fill(params, offset, in * out, in, out, random);
  }

  @Override
  public long forwardMultiplyAdds() {
    return (long) in * out;
  }

  @Override
  public long trainingFlops(boolean needInputGradient) {
    return 2L * in * out * (needInputGradient ? 3 : 2);
  }

  @Override
  public Buffers newBuffers(int maxBatch) {
    return new DenseBuffers(maxBatch, in, out);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, int n, Buffers buffers, Pass pass) {
    DenseBuffers b = (DenseBuffers) buffers;
    b.input = input;
    Matrices.denseAffine(params, offset, offset + in * out, input, n, in, out, b.output);
    return b.output;
  }

  @Override
  public float[] backward(float[] params, int offset, float[] gradOutput, int n, Buffers buffers,
                          float[] gradients, boolean needInputGradient) {
    DenseBuffers b = (DenseBuffers) buffers;
    Blas.gemm(true, false, out, in, n, 1f, gradOutput, 0, b.input, 0, 1f, gradients, offset);
    Matrices.addColumnSums(gradOutput, n, out, gradients, offset + in * out);
    if (!needInputGradient) {
      return null;
    }
    Blas.gemm(false, false, n, in, out, 1f, gradOutput, 0, params, offset, 0f, b.gradInput, 0);
    return b.gradInput;
  }
}
