package io.turbovbi.nn;

import java.util.List;

/** Adam (Kingma and Ba, 2015) with bias correction and a learning rate per parameter block. */
public final class Adam implements Optimizer {
  private final List<ParamBlock> blocks;
  private final float[] rates;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float[] firstMoment;
  private final float[] secondMoment;
  private long steps;

  public Adam(Network network, double learningRate, double logvarLearningRate) {
    this(network, learningRate, logvarLearningRate, 0.9, 0.999, 1e-8);
  }

  public Adam(Network network, double learningRate, double logvarLearningRate, double beta1, double beta2,
              double epsilon) {
    if (!(learningRate > 0) || !(logvarLearningRate >= 0) || !(beta1 >= 0 && beta1 < 1)
        || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("invalid Adam settings: lr " + learningRate + ", logvar lr "
          + logvarLearningRate + ", betas " + beta1 + "/" + beta2 + ", epsilon " + epsilon);
    }
    this.blocks = network.blocks();
    this.rates = Optimizer.blockRates(network, learningRate, logvarLearningRate);
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
    this.firstMoment = new float[network.parameterCount()];
    this.secondMoment = new float[network.parameterCount()];
  }

  @Override
  public State state() {
    return new State(steps, new float[][] {firstMoment.clone(), secondMoment.clone()});
  }

  @Override
  public void restore(State state) {
    Optimizer.requireShape(state, 2, firstMoment.length);
    steps = state.steps();
    System.arraycopy(state.buffers()[0], 0, firstMoment, 0, firstMoment.length);
    System.arraycopy(state.buffers()[1], 0, secondMoment, 0, secondMoment.length);
  }

  @Override
  public void beginStep() {
    steps++;
  }

  @Override
  public void step(float[] params, float[] gradients, int from, int to) {
    float correction1 = (float) (1 - Math.pow(beta1, steps));
    float rootCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, steps));
    float decay1 = 1 - beta1;
    float decay2 = 1 - beta2;
    Optimizer.forEachBlockPart(blocks, from, to, (b, start, end) -> {
      float stepSize = rates[b] / correction1;
      for (int i = start; i < end; i++) {
        float g = gradients[i];
        float m = beta1 * firstMoment[i] + decay1 * g;
        float v = beta2 * secondMoment[i] + decay2 * g * g;
        firstMoment[i] = m;
        secondMoment[i] = v;
        params[i] -= stepSize * m / ((float) Math.sqrt(v) / rootCorrection2 + epsilon);
      }
    });
  }
}
