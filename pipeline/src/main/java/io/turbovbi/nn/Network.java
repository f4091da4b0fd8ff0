package io.turbovbi.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A feed-forward network: its layers, and the layout of its flat parameter vector. The network holds no
 * parameters and no activations, so one instance serves many threads: parameters are passed in, activations live in
 * a per-thread {@link Workspace}. Input is a batch of rows in (channel, y, x) order; output is logits.
 */
public final class Network {
  private final List<Layer> layers;
  private final int[] offsets;
  private final List<ParamBlock> blocks;
  private final int parameterCount;
  private final int channels;
  private final int height;
  private final int width;
  private final int classes;

  public Network(List<Layer> layers, int channels, int height, int width) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    this.layers = List.copyOf(layers);
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.offsets = new int[layers.size()];
    List<ParamBlock> allBlocks = new ArrayList<>();
    long offset = 0;
    int expectedInput = channels * height * width;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (layer.inputSize() != expectedInput) {
        throw new IllegalArgumentException("layer " + (i + 1) + " (" + layer.describe() + ") expects "
            + layer.inputSize() + " inputs but receives " + expectedInput);
      }
      if (i > 0 && layer.spatialInput() != layers.get(i - 1).spatialOutput()) {
        throw new IllegalArgumentException("layer " + (i + 1) + " (" + layer.describe() + ") follows "
            + layers.get(i - 1).describe() + (layer.spatialInput() ? " but needs an image input"
            : " without a flatten in between"));
      }
      expectedInput = layer.outputSize();
      offsets[i] = (int) offset;
      for (Layer.Slot slot : layer.parameters()) {
        allBlocks.add(new ParamBlock(i, slot.kind(), (int) offset, slot.length()));
        offset += slot.length();
      }
      if (offset > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("too many parameters: " + offset);
      }
    }
    if (layers.get(layers.size() - 1).spatialOutput()) {
      throw new IllegalArgumentException("the last layer must produce class scores, not an image; add flatten");
    }
    this.blocks = Collections.unmodifiableList(allBlocks);
    this.parameterCount = (int) offset;
    this.classes = expectedInput;
  }

  public List<Layer> layers() {
    return layers;
  }

  public int offset(int layer) {
    return offsets[layer];
  }

  public List<ParamBlock> blocks() {
    return blocks;
  }

  /** The block of the given kind owned by a layer, or null. */
  public ParamBlock block(int layer, ParamKind kind) {
    for (ParamBlock b : blocks) {
      if (b.layer() == layer && b.kind() == kind) {
        return b;
      }
    }
    return null;
  }

  /** Indices of the layers that carry weights (dense and convolution layers). */
  public int[] weightLayers() {
    return blocks.stream().filter(b -> b.kind() == ParamKind.WEIGHT).mapToInt(ParamBlock::layer).toArray();
  }

  /** Weight shapes of the weight layers, in network order. */
  public List<WeightShape> weightShapes() {
    return Arrays.stream(weightLayers()).mapToObj(i -> layers.get(i).weightShape()).toList();
  }

  public int parameterCount() {
    return parameterCount;
  }

  public int inputSize() {
    return channels * height * width;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int classes() {
    return classes;
  }

  /** Number of weights (not biases, not log-variances). */
  public long weightCount() {
    return blocks.stream().filter(b -> b.kind() == ParamKind.WEIGHT).mapToLong(ParamBlock::length).sum();
  }

  /** Forward multiply-adds for one sample. */
  public long forwardMultiplyAdds() {
    return layers.stream().mapToLong(Layer::forwardMultiplyAdds).sum();
  }

  /** Floating-point operations of one training sample (forward and backward). */
  public long trainingFlops() {
    long flops = 0;
    for (int i = 0; i < layers.size(); i++) {
      flops += layers.get(i).trainingFlops(i > 0);
    }
    return flops;
  }

  /** Initial parameters drawn from a seeded generator: the same seed gives the same network. */
  public float[] initialParameters(long seed) {
    float[] params = new float[parameterCount];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).initialise(params, offsets[i], random.split());
    }
    return params;
  }

  /** Computes what all chunks of one step share; call once per step before {@link #forward}. */
  public void prepare(float[] params) {
    prepare(params, RangeRunner.SERIAL);
  }

  /** As {@link #prepare(float[])}, in slices on a runner. */
  public void prepare(float[] params, RangeRunner runner) {
    int total = layers.stream().mapToInt(Layer::preparedLength).sum();
    if (total == 0) {
      return;
    }
    runner.run(total, (from, to) -> {
      int start = 0;
      for (int i = 0; i < layers.size(); i++) {
        int length = layers.get(i).preparedLength();
        int sliceFrom = Math.max(from, start);
        int sliceTo = Math.min(to, start + length);
        if (sliceFrom < sliceTo) {
          layers.get(i).prepare(params, offsets[i], sliceFrom - start, sliceTo - start);
        }
        start += length;
      }
    });
  }

  public String describe() {
    StringBuilder text = new StringBuilder("input(" + channels + "x" + height + "x" + width + ")");
    for (Layer layer : layers) {
      text.append(" ").append(layer.describe());
    }
    return text.toString();
  }

  /** Per-thread activations for chunks of up to {@code maxBatch} samples. */
  public final class Workspace {
    private final int maxBatch;
    private final Layer.Buffers[] buffers;
    private final float[] spatialInput;
    private final float[] gradLogits;

    private Workspace(int maxBatch) {
      this.maxBatch = maxBatch;
      this.buffers = new Layer.Buffers[layers.size()];
      for (int i = 0; i < layers.size(); i++) {
        buffers[i] = layers.get(i).newBuffers(maxBatch);
      }
      this.spatialInput = layers.get(0).spatialInput() && channels > 1 ? new float[maxBatch * inputSize()] : null;
      this.gradLogits = new float[maxBatch * classes];
    }

    public int maxBatch() {
      return maxBatch;
    }

    /** A buffer for d(loss)/d(logits) of up to maxBatch samples. */
    public float[] gradLogits() {
      return gradLogits;
    }
  }

  public Workspace newWorkspace(int maxBatch) {
    return new Workspace(maxBatch);
  }

  /** Logits ({@code n x classes}) of n input rows; the array belongs to the workspace. */
  public float[] forward(float[] params, float[] inputRows, int n, Workspace workspace, Pass pass) {
    checkBatch(n, workspace);
    float[] activation = inputRows;
    if (workspace.spatialInput != null) {
      FlattenLayer.toChannelMajor(inputRows, n, channels, height * width, workspace.spatialInput);
      activation = workspace.spatialInput;
    }
    for (int i = 0; i < layers.size(); i++) {
      activation = layers.get(i).forward(params, offsets[i], activation, n, workspace.buffers[i], pass);
    }
    return activation;
  }

  /** Adds the parameter gradients of the chunk last passed forward (for gradients of its logits) to gradients. */
  public void backward(float[] params, float[] gradLogits, int n, Workspace workspace, float[] gradients) {
    checkBatch(n, workspace);
    float[] grad = gradLogits;
    for (int i = layers.size() - 1; i >= 0; i--) {
      grad = layers.get(i).backward(params, offsets[i], grad, n, workspace.buffers[i], gradients, i > 0);
    }
  }

  /** Completes summed chunk gradients (see {@link Layer#finishGradient}); call once per summed gradient. */
  public void finishGradient(float[] params, float[] gradients) {
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).finishGradient(params, offsets[i], gradients);
    }
  }

  private void checkBatch(int n, Workspace workspace) {
    if (n <= 0 || n > workspace.maxBatch) {
      throw new IllegalArgumentException("chunk of " + n + " samples for a workspace of " + workspace.maxBatch);
    }
  }
}
