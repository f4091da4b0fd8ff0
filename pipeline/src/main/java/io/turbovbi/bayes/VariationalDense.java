package io.turbovbi.bayes;

import io.turbovbi.nn.Blas;
import io.turbovbi.nn.Initialisation;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.Matrices;
import io.turbovbi.nn.Pass;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.nn.ParamKind;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A dense layer with q(w) = N(mu, sigma^2) per weight, trained with the local reparameterisation trick
 * (DESIGN 2, w-step): the pre-activation is sampled as {@code m + sqrt(v) * eps} with {@code m = x mu^T + b} and
 * {@code v = x^2 (sigma^2)^T}. Parameters: mu {@code [out x in]}, log sigma^2 {@code [out x in]}, bias {@code [out]}.
 * Evaluation uses the mean network (w = mu).
 */
public final class VariationalDense implements Layer {
  private final int in;
  private final int out;
  private final Initialisation initialisation;
  private final float initialLogVar;
  private final float[] variance;

  public VariationalDense(int in, int out, Initialisation initialisation, double initialLogVar) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("dense layer needs positive sizes, got " + in + "->" + out);
    }
    this.in = in;
    this.out = out;
    this.initialisation = initialisation;
    this.initialLogVar = (float) initialLogVar;
    this.variance = new float[in * out];
  }

  private static final class Buffers implements Layer.Buffers {
    final float[] output;
    final float[] squaredInput;
    final float[] outputVariance;
    final float[] noise;
    final float[] gradVariancePath;
    final float[] gradInput;
    float[] input;

    Buffers(int maxBatch, int in, int out) {
      output = new float[maxBatch * out];
      squaredInput = new float[maxBatch * in];
      outputVariance = new float[maxBatch * out];
      noise = new float[maxBatch * out];
      gradVariancePath = new float[maxBatch * in];
      gradInput = new float[maxBatch * in];
    }
  }

  @Override
  public String describe() {
    return "vdense(" + in + "->" + out + ")";
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
    return List.of(new Slot(ParamKind.WEIGHT, in * out), new Slot(ParamKind.LOGVAR, in * out),
        new Slot(ParamKind.BIAS, out));
  }

  @Override
  public WeightShape weightShape() {
    return WeightShape.dense(out, in);
  }

  @Override
  public void initialise(float[] params, int offset, RandomGenerator random) {
    initialisation.fill(params, offset, in * out, in, out, random);
    Arrays.fill(params, offset + in * out, offset + 2 * in * out, initialLogVar);
  }

  @Override
  public int preparedLength() {
    return variance.length;
  }

  @Override
  public void prepare(float[] params, int offset, int from, int to) {
    Variances.exp(params, offset + in * out, variance, from, to);
  }

  @Override
  public long forwardMultiplyAdds() {
    return (long) in * out;
  }

  @Override
  public long trainingFlops(boolean needInputGradient) {
    return 2L * in * out * (needInputGradient ? 6 : 4);
  }

  @Override
  public Layer.Buffers newBuffers(int maxBatch) {
    return new Buffers(maxBatch, in, out);
  }

  @Override
  public float[] forward(float[] params, int offset, float[] input, int n, Layer.Buffers buffers, Pass pass) {
    Buffers b = (Buffers) buffers;
    b.input = input;
    float[] output = b.output;
    Matrices.denseAffine(params, offset, offset + 2 * in * out, input, n, in, out, output);
    if (!pass.training()) {
      return output;
    }
    int length = n * in;
    for (int i = 0; i < length; i++) {
      b.squaredInput[i] = input[i] * input[i];
    }
    Blas.gemm(false, true, n, out, in, 1f, b.squaredInput, 0, variance, 0, 0f, b.outputVariance, 0);
    for (int s = 0; s < n; s++) {
      GaussianNoise.fill(GaussianNoise.stream(pass.noiseKeys()[s], offset), 0, b.noise, s * out, out);
    }
    Variances.sample(output, b.outputVariance, b.noise, n * out);
    return output;
  }

  @Override
  public float[] backward(float[] params, int offset, float[] gradOutput, int n, Layer.Buffers buffers,
                          float[] gradients, boolean needInputGradient) {
    Buffers b = (Buffers) buffers;
    int weights = in * out;
    // gradOutput is d/dm; d/dv = d/dm * eps / (2 sqrt(v)), formed in the noise buffer (see Variances.sample).
    float[] gradVariance = b.noise;
    Variances.varianceGradient(gradOutput, gradVariance, n * out);
    Blas.gemm(true, false, out, in, n, 1f, gradOutput, 0, b.input, 0, 1f, gradients, offset);
    // Accumulates d/d(sigma^2); finishGradient turns it into d/d(log sigma^2).
    Blas.gemm(true, false, out, in, n, 1f, gradVariance, 0, b.squaredInput, 0, 1f, gradients, offset + weights);
    Matrices.addColumnSums(gradOutput, n, out, gradients, offset + 2 * weights);
    if (!needInputGradient) {
      return null;
    }
    // dx = g mu + 2 x (dv sigma^2)
    Blas.gemm(false, false, n, in, out, 1f, gradOutput, 0, params, offset, 0f, b.gradInput, 0);
    Blas.gemm(false, false, n, in, out, 1f, gradVariance, 0, variance, 0, 0f, b.gradVariancePath, 0);
    int length = n * in;
    for (int i = 0; i < length; i++) {
      b.gradInput[i] += 2f * b.input[i] * b.gradVariancePath[i];
    }
    return b.gradInput;
  }

  @Override
  public void finishGradient(float[] params, int offset, float[] gradients) {
    Variances.chainToLogVar(gradients, offset + in * out, variance);
  }
}
