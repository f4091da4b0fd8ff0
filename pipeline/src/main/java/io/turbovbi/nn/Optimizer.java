package io.turbovbi.nn;

/** Updates a flat parameter vector from the gradient of the objective (to be minimised). */
public interface Optimizer {
  /** An optimiser's running state: its step count and its per-parameter buffers (e.g. Adam's two moments). */
  record State(long steps, float[][] buffers) implements java.io.Serializable {}

  void step(float[] params, float[] gradients);

  /** A copy of the running state, for a checkpoint or to ship to another JVM. */
  State state();

  /** Continues from a state taken from an optimiser of the same kind and network. */
  void restore(State state);

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
