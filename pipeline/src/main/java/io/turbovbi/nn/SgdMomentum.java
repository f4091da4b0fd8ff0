package io.turbovbi.nn;

import java.util.List;

/** Stochastic gradient descent with (heavy-ball) momentum and a learning rate per parameter block. */
public final class SgdMomentum implements Optimizer {
  private final List<ParamBlock> blocks;
  private final float[] rates;
  private final float momentum;
  private final float[] velocity;

  public SgdMomentum(Network network, double learningRate, double logvarLearningRate, double momentum) {
    if (!(learningRate > 0) || !(logvarLearningRate >= 0) || !(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("invalid SGD settings: lr " + learningRate + ", logvar lr "
          + logvarLearningRate + ", momentum " + momentum);
    }
    this.blocks = network.blocks();
    this.rates = Optimizer.blockRates(network, learningRate, logvarLearningRate);
    this.momentum = (float) momentum;
    this.velocity = new float[network.parameterCount()];
  }

  @Override
  public State state() {
    return new State(0, new float[][] {velocity.clone()});
  }

  @Override
  public void restore(State state) {
    Optimizer.requireShape(state, 1, velocity.length);
    System.arraycopy(state.buffers()[0], 0, velocity, 0, velocity.length);
  }

  @Override
  public void beginStep() {}

  @Override
  public void step(float[] params, float[] gradients, int from, int to) {
    Optimizer.forEachBlockPart(blocks, from, to, (b, start, end) -> {
      float rate = rates[b];
      for (int i = start; i < end; i++) {
        float v = momentum * velocity[i] + gradients[i];
        velocity[i] = v;
        params[i] -= rate * v;
      }
    });
  }
}
