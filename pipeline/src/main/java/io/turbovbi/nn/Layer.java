package io.turbovbi.nn;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One layer of a feed-forward network. A layer holds its configuration only; parameters live in the network's
 * flat parameter vector (at the offset the network gives) and activations in per-thread {@link Buffers}, so one
 * layer object serves several threads at once.
 *
 * <p>Layouts: dense layers see a batch as rows ({@code n x features}); spatial layers (convolution, pooling) see
 * it channel-major ({@code channels x n x height x width}), which turns a convolution over the whole chunk into one
 * matrix product. {@link FlattenLayer} converts between the two.
 */
public interface Layer {
  /** Per-thread storage for what a layer's backward pass needs from its forward pass. */
  interface Buffers {}

  /** A short description, e.g. {@code dense(784->300)}. */
  String describe();

  int inputSize();

  int outputSize();

  /** Whether the layer reads the channel-major spatial layout (otherwise rows). */
  boolean spatialInput();

  /** Whether the layer writes the channel-major spatial layout; layers keep their layout unless they convert. */
  default boolean spatialOutput() {
    return spatialInput();
  }

  /** A parameter block of this layer: its kind and length. */
  record Slot(ParamKind kind, int length) {}

  /** This layer's parameter blocks in storage order (none for layers without parameters). */
  default List<Slot> parameters() {
    return List.of();
  }

  /** Fills this layer's parameters (starting at {@code offset}) with their initial values. */
  default void initialise(float[] params, int offset, RandomGenerator random) {}

  /** The shape of this layer's weights, or null for layers without weights. */
  default WeightShape weightShape() {
    return null;
  }

  /**
   * How many values {@link #prepare} computes: what every chunk of one step shares (e.g. variances from
   * log-variances); 0 when the layer needs nothing.
   */
  default int preparedLength() {
    return 0;
  }

  /**
   * Computes the shared values [from, to) of {@link #preparedLength()} for the coming step; slices may run in
   * parallel, and all are done before any forward pass of that step.
   */
  default void prepare(float[] params, int offset, int from, int to) {}

  /**
   * Turns the summed per-chunk gradient sums of this layer into gradients with respect to its parameters, where
   * backward accumulated them in a cheaper form (e.g. with respect to variances instead of log-variances). Linear in
   * the gradients, so it may run on any partial sum. Called once per step after the chunks are summed.
   */
  default void finishGradient(float[] params, int offset, float[] gradients) {}

  /** Multiply-adds of the forward pass for one sample (for FLOP counts). */
  default long forwardMultiplyAdds() {
    return 0;
  }

  /** Floating-point operations of forward + backward for one training sample. */
  default long trainingFlops(boolean needInputGradient) {
    return 0;
  }

  Buffers newBuffers(int maxBatch);

  /** Returns the output of {@code n} samples; the array may be a buffer reused by the next call. */
  float[] forward(float[] params, int offset, float[] input, int n, Buffers buffers, Pass pass);

  /**
   * Adds this layer's parameter gradients (sums over the chunk) to {@code gradients} at the layer's offset and
   * returns the gradient with respect to the input (null when {@code needInputGradient} is false).
   */
  float[] backward(float[] params, int offset, float[] gradOutput, int n, Buffers buffers, float[] gradients,
                   boolean needInputGradient);
}
