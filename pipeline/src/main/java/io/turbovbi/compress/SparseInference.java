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
import java.util.Random;

/**
 * Forward passes of a pruned network in the fastest kernel of each weight layer, chosen by measurement when the
 * network is loaded (DESIGN 6): a dense layer runs in dense BLAS, compressed rows, 4x1 or 4x4 block-compressed rows
 * or run-length segments; a convolution as a GEMM over its kept (channel, ky, kx) columns in any of those kernels
 * ({@link CompactConvolution}), or straight from the input planes ({@link SparseConvolution}).
 * Activations are kept feature-major ({@code features x n}, convolutions {@code channels x n x plane}), so that each
 * non-zero weight of a dense layer updates a contiguous run of the batch. Every step writes into a buffer it keeps,
 * so a pass allocates nothing but the logits it returns; an instance is therefore not for concurrent use.
 */
public final class SparseInference {
  /**
   * Samples per pass through the layers: large batches go through in chunks, so that no step's buffer grows with
   * the batch (for LeNet-5 the largest, conv1's unfolded input, is 1.8 MB at 32 samples).
   */
  private static final int CHUNK = 32;

  private final Network network;
  private final List<Step> steps = new ArrayList<>();
  private final List<KernelChoice> choices = new ArrayList<>();
  private final float[] chunkInput;

  private interface Step {
    /**
     * Input of n samples in; the output, in the layout of the layer's output, in the first floats of the returned
     * buffer, which may be the input buffer itself (ReLU works in place).
     */
    float[] apply(float[] input, int n);
  }

  /** Kernels chosen for chunks of {@value #CHUNK} samples. */
  public SparseInference(MeanNetwork model) {
    this(model, CHUNK);
  }

  /**
   * Kernels chosen by timing whole forward passes of min(batch, {@value #CHUNK}) random samples, one weight layer
   * after the other in network order, each tried in every kernel with the other layers in their kernels of the
   * moment: a layer's speed depends on what runs around it (caches, the JIT), so timing a layer alone can favour a
   * kernel that slows the whole pass. Two sweeps over the layers: in the first the JIT is still compiling the
   * kernels tried later, which makes the first layers' timings unreliable; the second decides.
   */
  public SparseInference(MeanNetwork model, int batch) {
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
    chunkInput = new float[network.inputSize() * CHUNK];
    chooseKernels(Math.max(1, Math.min(batch, CHUNK)));
  }

  private void chooseKernels(int n) {
    Random random = new Random(1);
    float[] rows = new float[n * network.inputSize()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) random.nextGaussian();
    }
    float[] logits = new float[n * network.classes()];
    for (int sweep = 0; sweep < 2; sweep++) {
      for (KernelChoice choice : choices) {
        choice.select(WeightKernels.fastest(choice.size(), choice::select,
            () -> predictChunk(rows, 0, n, logits, 0)));
      }
    }
  }

  /** The kernel chosen for each weight layer, in network order. */
  public List<String> kernels() {
    return choices.stream().map(KernelChoice::selectedName).toList();
  }

  /** The step of one layer; {@code channels} are the channels of its input when it is spatial. */
  private Step step(Layer layer, int index, float[] params, int channels) {
    if (layer instanceof DenseLayer dense) {
      ParamBlock weights = network.block(index, ParamKind.WEIGHT);
      int out = dense.outputSize();
      int in = dense.inputSize();
      float[] w = Arrays.copyOfRange(params, weights.offset(), weights.end());
      float[] bias = bias(params, index, out);
      KernelChoice choice = addChoice(new KernelChoice(out * CHUNK));
      for (CompactConvolution.KernelFactory factory : WeightKernels.FACTORIES) {
        WeightKernel kernel = factory.create(w, bias, out, in);
        choice.add(kernel.name(), kernel::multiply);
      }
      return choice::apply;
    }
    if (layer instanceof Conv2DLayer conv) {
      ConvGeometry g = conv.geometry();
      ParamBlock weights = network.block(index, ParamKind.WEIGHT);
      float[] bias = bias(params, index, g.outChannels());
      KernelChoice choice = addChoice(new KernelChoice(g.outChannels() * CHUNK * g.outPlane()));
      KeptColumns columns = new KeptColumns(g, params, weights.offset());
      float[] unfolded = new float[columns.unfoldedLength(CHUNK)];
      for (CompactConvolution.KernelFactory factory : WeightKernels.FACTORIES) {
        CompactConvolution compact = new CompactConvolution(columns, params, weights.offset(), bias, factory);
        choice.add("gemm-" + compact.kernelName() + " (" + columns.count() + " of " + g.patchSize() + " columns)",
            (x, n, y) -> compact.apply(x, n, unfolded, y));
      }
      SparseConvolution direct = SparseConvolution.of(g, params, weights.offset());
      choice.add("direct", (x, n, y) -> direct.apply(x, n, bias, 0, y));
      return choice::apply;
    }
    if (layer instanceof ReluLayer relu) {
      int features = relu.outputSize();
      return (input, n) -> {
        for (int i = 0; i < features * n; i++) {
          input[i] = Math.max(input[i], 0f);
        }
        return input;
      };
    }
    if (layer instanceof MaxPool2DLayer pool) {
      return new InferencePooling(pool, CHUNK)::apply;
    }
    if (layer instanceof FlattenLayer flatten) {
      int plane = flatten.inputSize() / channels;
      float[] output = new float[flatten.outputSize() * CHUNK];
      return (input, n) -> channelMajorToFeatureMajor(input, n, channels, plane, output);
    }
    throw new IllegalArgumentException("no sparse form for " + layer.describe());
  }

  /** {@code C x n x P} to {@code (C*P) x n}: feature c*P + p of sample s at [(c*P + p) * n + s]. */
  private static float[] channelMajorToFeatureMajor(float[] input, int n, int channels, int plane, float[] out) {
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

  private KernelChoice addChoice(KernelChoice choice) {
    choices.add(choice);
    return choice;
  }

  private float[] bias(float[] params, int index, int length) {
    ParamBlock bias = network.block(index, ParamKind.BIAS);
    return Arrays.copyOfRange(params, bias.offset(), bias.offset() + length);
  }

  /** Logits ({@code n x classes}, row per sample) of input rows first .. first + n - 1. */
  public float[] predict(float[] rows, int first, int n) {
    float[] logits = new float[n * network.classes()];
    for (int done = 0; done < n; done += CHUNK) {
      predictChunk(rows, first + done, Math.min(CHUNK, n - done), logits, done * network.classes());
    }
    return logits;
  }

  /** Logits of rows from .. from + n - 1 (n at most {@value #CHUNK}) into logits from logitsOffset on. */
  private void predictChunk(float[] rows, int from, int n, float[] logits, int logitsOffset) {
    int d = network.inputSize();
    int first = from * d;
    float[] activation = chunkInput;
    if (network.layers().get(0).spatialInput()) {
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
    for (int j = 0; j < classes; j++) {
      for (int s = 0; s < n; s++) {
        logits[logitsOffset + s * classes + j] = activation[j * n + s];
      }
    }
  }
}
