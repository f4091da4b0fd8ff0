package io.turbovbi.compress;

import io.turbovbi.nn.Blas;
import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.Conv2DLayer;
import io.turbovbi.nn.DenseLayer;
import io.turbovbi.nn.FlattenLayer;
import io.turbovbi.nn.Im2Col;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.Matrices;
import io.turbovbi.nn.MaxPool2DLayer;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.ReluLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward passes of a pruned network that skip its zero weights: every weight layer sparser than
 * {@link #SPARSE_BELOW} multiplies only its non-zeros (dense layers in compressed-row form, convolutions as a
 * {@link SparseConvolution}); denser layers use BLAS.
 * Activations are kept feature-major ({@code features x n}, convolutions {@code channels x n x plane}), so that each
 * non-zero weight of a dense layer updates a contiguous run of the batch.
 */
public final class SparseInference {
  /** Weight density under which a layer is multiplied in sparse form. */
  public static final double SPARSE_BELOW = 0.3;
  /**
   * Samples per pass through the layers: large batches go through in chunks, so that the activations of a chunk
   * (a few hundred kB for LeNet-5) stay in cache and no step allocates arrays of megabytes.
   */
  private static final int CHUNK = 32;

  private final Network network;
  private final List<Step> steps = new ArrayList<>();

  private interface Step {
    /** Input of n samples in, output out; both feature-major. */
    float[] apply(float[] input, int n);
  }

  /** A weight matrix in compressed-row form: row r's non-zeros are columns[start[r] .. start[r+1]). */
  private record Csr(int[] start, int[] columns, float[] values) {
    static Csr of(float[] params, int offset, int rows, int cols) {
      int[] start = new int[rows + 1];
      List<Integer> columns = new ArrayList<>();
      List<Float> values = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          float v = params[offset + r * cols + c];
          if (v != 0f) {
            columns.add(c);
            values.add(v);
          }
        }
        start[r + 1] = columns.size();
      }
      float[] v = new float[values.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = values.get(i);
      }
      return new Csr(start, columns.stream().mapToInt(Integer::intValue).toArray(), v);
    }

    /** out[r][0..width) = bias[r] + sum over non-zeros of value * in[column][0..width). */
    void multiply(float[] in, int width, float[] bias, int biasOffset, float[] out) {
      int rows = start.length - 1;
      for (int r = 0; r < rows; r++) {
        int target = r * width;
        java.util.Arrays.fill(out, target, target + width, bias[biasOffset + r]);
        for (int i = start[r]; i < start[r + 1]; i++) {
          float w = values[i];
          int source = columns[i] * width;
          for (int s = 0; s < width; s++) {
            out[target + s] += w * in[source + s];
          }
        }
      }
    }
  }

  public SparseInference(MeanNetwork model) {
    this.network = model.network();
    float[] params = model.params();
    int channels = network.channels();
    for (int i = 0; i < network.layers().size(); i++) {
      Layer layer = network.layers().get(i);
      steps.add(step(layer, i, params, channels));
      if (layer instanceof Conv2DLayer conv) {
        channels = conv.geometry().outChannels();
      }
    }
  }

  /** The step of one layer; {@code channels} are the channels of its input when it is spatial. */
  private Step step(Layer layer, int index, float[] params, int channels) {
    if (layer instanceof DenseLayer dense) {
      ParamBlock weights = network.block(index, ParamKind.WEIGHT);
      ParamBlock bias = network.block(index, ParamKind.BIAS);
      int out = dense.outputSize();
      int in = dense.inputSize();
      if (density(params, weights) < SPARSE_BELOW) {
        Csr csr = Csr.of(params, weights.offset(), out, in);
        return (input, n) -> {
          float[] output = new float[out * n];
          csr.multiply(input, n, params, bias.offset(), output);
          return output;
        };
      }
      return (input, n) -> {
        float[] output = new float[out * n];
        for (int o = 0; o < out; o++) {
          java.util.Arrays.fill(output, o * n, (o + 1) * n, params[bias.offset() + o]);
        }
        Blas.gemm(false, false, out, n, in, 1f, params, weights.offset(), input, 0, 1f, output, 0);
        return output;
      };
    }
    if (layer instanceof Conv2DLayer conv) {
      ConvGeometry g = conv.geometry();
      ParamBlock weights = network.block(index, ParamKind.WEIGHT);
      ParamBlock bias = network.block(index, ParamKind.BIAS);
      if (density(params, weights) < SPARSE_BELOW) {
        SparseConvolution sparse = SparseConvolution.of(g, params, weights.offset());
        return (input, n) -> sparse.apply(input, n, params, bias.offset());
      }
      return (input, n) -> {
        int width = n * g.outPlane();
        float[] columns = new float[g.patchSize() * width];
        Im2Col.unfold(g, input, n, columns);
        float[] output = new float[g.outChannels() * width];
        Matrices.convAffine(g, params, weights.offset(), bias.offset(), columns, n, output);
        return output;
      };
    }
    if (layer instanceof ReluLayer) {
      return (input, n) -> {
        for (int i = 0; i < input.length; i++) {
          input[i] = Math.max(input[i], 0f);
        }
        return input;
      };
    }
    if (layer instanceof MaxPool2DLayer pool) {
      float[] noParams = new float[0];
      return (input, n) -> {
        Layer.Buffers buffers = pool.newBuffers(n);
        return pool.forward(noParams, 0, input, n, buffers, io.turbovbi.nn.Pass.EVALUATION);
      };
    }
    if (layer instanceof FlattenLayer flatten) {
      int plane = flatten.inputSize() / channels;
      return (input, n) -> channelMajorToFeatureMajor(input, n, channels, plane);
    }
    throw new IllegalArgumentException("no sparse form for " + layer.describe());
  }

  /** {@code C x n x P} to {@code (C*P) x n}: feature c*P + p of sample s at [(c*P + p) * n + s]. */
  private static float[] channelMajorToFeatureMajor(float[] input, int n, int channels, int plane) {
    float[] out = new float[channels * plane * n];
    for (int c = 0; c < channels; c++) {
      for (int s = 0; s < n; s++) {
        int source = (c * n + s) * plane;
        for (int p = 0; p < plane; p++) {
          out[(c * plane + p) * n + s] = input[source + p];
        }
      }
    }
    return out;
  }

  private static double density(float[] params, ParamBlock block) {
    long nonZero = 0;
    for (int i = block.offset(); i < block.end(); i++) {
      nonZero += params[i] != 0f ? 1 : 0;
    }
    return (double) nonZero / block.length();
  }

  /** Logits ({@code n x classes}, row per sample) of input rows first .. first + n - 1. */
  public float[] predict(float[] rows, int first, int n) {
    int classes = network.classes();
    float[] logits = new float[n * classes];
    for (int done = 0; done < n; done += CHUNK) {
      int size = Math.min(CHUNK, n - done);
      System.arraycopy(predictChunk(rows, first + done, size), 0, logits, done * classes, size * classes);
    }
    return logits;
  }

  /** Logits of rows from .. from + n - 1. */
  private float[] predictChunk(float[] rows, int from, int n) {
    int d = network.inputSize();
    int first = from * d;
    float[] activation = new float[d * n];
    boolean spatial = network.layers().get(0).spatialInput();
    if (spatial) {
      int channels = network.channels();
      int plane = d / channels;
      for (int c = 0; c < channels; c++) {
        for (int s = 0; s < n; s++) {
          System.arraycopy(rows, first + s * d + c * plane, activation, (c * n + s) * plane, plane);
        }
      }
    } else {
      for (int s = 0; s < n; s++) {
        for (int f = 0; f < d; f++) {
          activation[f * n + s] = rows[first + s * d + f];
        }
      }
    }
    for (Step step : steps) {
      activation = step.apply(activation, n);
    }
    int classes = network.classes();
    float[] logits = new float[n * classes];
    for (int j = 0; j < classes; j++) {
      for (int s = 0; s < n; s++) {
        logits[s * classes + j] = activation[j * n + s];
      }
    }
    return logits;
  }
}
