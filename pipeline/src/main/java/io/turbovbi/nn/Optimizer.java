package io.turbovbi.nn;

/** Updates a flat parameter vector from the gradient of the objective (to be minimised). */
public interface Optimizer {
  void step(float[] params, float[] gradients);

  /** Learning rate per parameter block: log-variances have their own (DESIGN.md section 2). */
  static float[] blockRates(Network network, double learningRate, double logvarLearningRate) {
    float[] rates = new float[network.blocks().size()];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = (float) (network.blocks().get(i).kind() == ParamKind.LOGVAR ? logvarLearningRate : learningRate);
    }
    return rates;
  }
}
