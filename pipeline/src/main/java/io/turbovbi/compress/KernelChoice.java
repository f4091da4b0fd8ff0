package io.turbovbi.compress;

import java.util.ArrayList;
import java.util.List;

/**
 * The ways one weight layer can run in inference, of which the selected one runs, writing into an output buffer
 * kept for all of them.
 */
final class KernelChoice {
  /** One way to run the layer: x of n samples in, y out, in the layer's layout. */
  interface LayerKernel {
    void apply(float[] x, int n, float[] y);
  }

  private final List<String> names = new ArrayList<>();
  private final List<LayerKernel> kernels = new ArrayList<>();
  private final float[] output;
  private int selected;

  /** @param outputLength floats of the layer's output for the most samples a call may pass */
  KernelChoice(int outputLength) {
    output = new float[outputLength];
  }

  void add(String name, LayerKernel kernel) {
    names.add(name);
    kernels.add(kernel);
  }

  int size() {
    return kernels.size();
  }

  void select(int kernel) {
    selected = kernel;
  }

  String selectedName() {
    return names.get(selected);
  }

  /** The layer's output of n samples, in the first floats of the buffer this choice keeps. */
  float[] apply(float[] input, int n) {
    kernels.get(selected).apply(input, n, output);
    return output;
  }
}
