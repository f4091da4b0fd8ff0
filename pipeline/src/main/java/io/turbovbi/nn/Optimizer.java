package io.turbovbi.nn;

/** Updates a flat parameter vector from the gradient of the objective (to be minimised). */
public interface Optimizer {
  /** An optimiser's running state: its step count and its per-parameter buffers (e.g. Adam's two moments). */
  record State(long steps, float[][] buffers) implements java.io.Serializable {}

  /** Starts a step (e.g. advances Adam's bias correction); then {@link #step(float[], float[], int, int)} slices. */
  void beginStep();

  /** Updates the parameters [from, to) of the step begun last; slices may run in parallel. */
  void step(float[] params, float[] gradients, int from, int to);

  /** A whole step on one thread. */
  default void step(float[] params, float[] gradients) {
    beginStep();
    step(params, gradients, 0, params.length);
  }

  /** A copy of the running state, for a checkpoint or to ship to another JVM. */
  State state();

  /** Continues from a state taken from an optimiser of the same kind and network. */
  void restore(State state);

  /** Calls {@code task} for every part of [from, to) that lies in a block, with the block's index. */
  static void forEachBlockPart(java.util.List<ParamBlock> blocks, int from, int to, BlockPartTask task) {
    for (int b = 0; b < blocks.size(); b++) {
      ParamBlock block = blocks.get(b);
      int start = Math.max(from, block.offset());
      int end = Math.min(to, block.end());
      if (start < end) {
        task.run(b, start, end);
      }
    }
  }

  /** Work on the indices [start, end) of block b. */
  interface BlockPartTask {
    void run(int block, int start, int end);
  }

  /** Learning rate per parameter block: log-variances have their own (DESIGN.md section 2). */
  static float[] blockRates(Network network, double learningRate, double logvarLearningRate) {
    float[] rates = new float[network.blocks().size()];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = (float) (network.blocks().get(i).kind() == ParamKind.LOGVAR ? logvarLearningRate : learningRate);
    }
    return rates;
  }

  /** Checks that a state has the given number of buffers, each of the given length. */
  static void requireShape(State state, int buffers, int length) {
    if (state.buffers().length != buffers) {
      throw new IllegalArgumentException("optimiser state has " + state.buffers().length + " buffers, expected "
          + buffers);
    }
    for (float[] buffer : state.buffers()) {
      if (buffer.length != length) {
        throw new IllegalArgumentException("optimiser state for " + buffer.length + " parameters, expected "
            + length);
      }
    }
  }
}
