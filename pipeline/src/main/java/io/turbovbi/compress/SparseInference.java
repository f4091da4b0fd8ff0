package io.turbovbi.compress;

import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.Conv2DLayer;
import io.turbovbi.nn.DenseLayer;
import io.turbovbi.nn.FlattenLayer;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.MaxPool2DLayer;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.ReluLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Forward passes of a pruned network in the fastest kernel of each weight layer, chosen by measurement when the
 * network is loaded (DESIGN 6): a dense layer runs in dense BLAS, compressed rows, 4x1 or 4x4 block-compressed rows
 * or run-length segments; a convolution as a GEMM over its kept (channel, ky, kx) columns in any of those kernels
 * ({@link CompactConvolution}), or straight from the input planes ({@link SparseConvolution}).
 * Activations are kept feature-major ({@code features x n}, convolutions {@code channels x n x plane}), so that each
 * non-zero weight of a dense layer updates a contiguous run of the batch.
 */
public final class SparseInference {
  /**
   * Samples per pass through the layers: large batches go through in chunks, so that the activations of a chunk
   * (a few hundred kB for LeNet-5) stay in cache and no step allocates arrays of megabytes.
   */
  private static final int CHUNK = 32;

  private final Network network;
  private final List<Step> steps = new ArrayList<>();
  private final List<String> kernels = new ArrayList<>();

  private interface Step {
    /** Input of n samples in, output out; both feature-major. */
    float[] apply(float[] input, int n);
  }

  /** Kernels chosen for chunks of {@value #CHUNK} samples. */
  public SparseInference(MeanNetwork model) {
    this(model, CHUNK);
  }

  /** Kernels chosen by timing each weight layer on a chunk of min(batch, {@value #CHUNK}) random samples. */
  public SparseInference(MeanNetwork model, int batch) {
    this.network = model.network();
    float[] params = model.params();
    int channels = network.channels();
    int chunk = Math.max(1, Math.min(batch, CHUNK));
    for (int i = 0; i < network.layers().size(); i++) {
      Layer layer = network.layers().get(i);
      steps.add(step(layer, i, params, channels, chunk));
      if (layer instanceof Conv2DLayer conv) {
        channels = conv.geometry().outChannels();
      }
    }
  }

  /** The kernel chosen for each weight layer, in network order. */
  public List<String> kernels() {
    return List.copyOf(kernels);
  }

  /** The step of one layer; {@code channels} are the channels of its input when it is spatial. */
  private Step step(Layer layer, int index, float[] params, int channels, int chunk) {
    if (layer instanceof DenseLayer dense) {
      ParamBlock weights = network.block(index, ParamKind.WEIGHT);
      int out = dense.outputSize();
      int in = dense.inputSize();
      float[] w = Arrays.copyOfRange(params, weights.offset(), weights.end());
      float[] bias = bias(params, index, out);
      List<WeightKernels.Candidate> candidates = new ArrayList<>();
      for (CompactConvolution.KernelFactory factory : WeightKernels.FACTORIES) {
        WeightKernel kernel = factory.create(w, bias, out, in);
        candidates.add(candidate(kernel.name(), (input, size) -> {
          float[] output = new float[out * size];
          kernel.multiply(input, size, output);
          return output;
        }));
      }
      return chosen(WeightKernels.fastest(candidates, chunk, size -> in * size));
    }
    if (layer instanceof Conv2DLayer conv) {
      ConvGeometry g = conv.geometry();
      ParamBlock weights = network.block(index, ParamKind.WEIGHT);
      float[] bias = bias(params, index, g.outChannels());
      List<WeightKernels.Candidate> candidates = new ArrayList<>();
      for (CompactConvolution.KernelFactory factory : WeightKernels.FACTORIES) {
        CompactConvolution compact = new CompactConvolution(g, params, weights.offset(), bias, factory);
        candidates.add(candidate("gemm-" + compact.kernelName() + " (" + compact.keptColumns() + " of "
            + g.patchSize() + " columns)", compact::apply));
      }
      SparseConvolution direct = SparseConvolution.of(g, params, weights.offset());
      candidates.add(candidate("direct", (input, size) -> direct.apply(input, size, bias, 0)));
      return chosen(WeightKernels.fastest(candidates, chunk, size -> g.inChannels() * size * g.inPlane()));
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

  private Step chosen(WeightKernels.Candidate candidate) {
    kernels.add(candidate.name());
    return candidate::apply;
  }

  private static WeightKernels.Candidate candidate(String name, BiFunction<float[], Integer, float[]> forward) {
    return new WeightKernels.Candidate(name, forward);
  }

  private float[] bias(float[] params, int index, int length) {
    ParamBlock bias = network.block(index, ParamKind.BIAS);
    return Arrays.copyOfRange(params, bias.offset(), bias.offset() + length);
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
