package io.turbovbi.nn;

import java.util.List;

/**
 * Turns the summed data gradient of a mini-batch into one optimiser step: the sum is divided by the batch size, the
 * regulariser's gradient (weighted 1/|D|) added, the optimiser applied, then the constraints. The objective is
 * {@code (1/B) sum_batch CE + R(params) / |D|}: with R the KL divergence this is the negative ELBO divided by |D|,
 * i.e. the data term scaled by |D|/B as DESIGN.md asks. Used wherever the gradient was computed: here, or summed
 * over a Spark cluster.
 */
public final class Update {
  /** A term added to the objective that depends on the parameters only (e.g. a KL divergence). */
  public interface Regulariser {
    /** Adds {@code weight * dR/dparams} to gradients and returns R. */
    double addGradient(float[] params, float[] gradients, double weight);
  }

  /** A projection applied after every optimiser step (e.g. a cap on log-variances, a pruning mask). */
  public interface Constraint {
    void apply(float[] params);
  }

  private final Optimizer optimizer;
  private final Regulariser regulariser;
  private final List<Constraint> constraints;

  /** @param regulariser null for none */
  public Update(Optimizer optimizer, Regulariser regulariser, List<Constraint> constraints) {
    this.optimizer = optimizer;
    this.regulariser = regulariser;
    this.constraints = List.copyOf(constraints);
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Applies one step for a batch of {@code count} samples out of {@code datasetSize}; {@code gradientSums} is
   * overwritten. Returns the regulariser's value before the step (0 without one).
   */
  public double apply(float[] params, float[] gradientSums, int count, int datasetSize) {
    float scale = 1f / count;
    for (int i = 0; i < gradientSums.length; i++) {
      gradientSums[i] *= scale;
    }
    double value = regulariser == null ? 0 : regulariser.addGradient(params, gradientSums, 1.0 / datasetSize);
    optimizer.step(params, gradientSums);
    for (Constraint constraint : constraints) {
      constraint.apply(params);
    }
    return value;
  }
}
