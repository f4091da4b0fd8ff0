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
  /** Parameters per tile of {@link #apply}: its arrays' tiles (about 100 KB) stay in the L2 cache. */
  private static final int TILE = 4096;

  /** A term added to the objective that depends on the parameters only (e.g. a KL divergence). */
  public interface Regulariser {
    /** Adds {@code weight * dR/dparams} to the gradients of the parameters [from, to). */
    void addGradient(float[] params, float[] gradients, double weight, int from, int to);

    double value(float[] params);
  }

  /** A projection applied after every optimiser step (e.g. a cap on log-variances, a pruning mask). */
  public interface Constraint {
    /** Projects the parameters [from, to). */
    void apply(float[] params, int from, int to);
  }

  private final Optimizer optimizer;
  private final Regulariser regulariser;
  private final List<Constraint> constraints;
  private final RangeRunner runner;

  /** @param regulariser null for none */
  public Update(Optimizer optimizer, Regulariser regulariser, List<Constraint> constraints) {
    this(optimizer, regulariser, constraints, RangeRunner.SERIAL);
  }

  /** An update whose elementwise work runs in slices on {@code runner} (e.g. the gradient engine's threads). */
  public Update(Optimizer optimizer, Regulariser regulariser, List<Constraint> constraints, RangeRunner runner) {
    this.optimizer = optimizer;
    this.regulariser = regulariser;
    this.constraints = List.copyOf(constraints);
    this.runner = runner;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Applies one step for a batch of {@code count} samples out of {@code datasetSize}; {@code gradientSums} is
   * overwritten. Every parameter's update depends on that parameter alone, so slices run independently.
   */
  public void apply(float[] params, float[] gradientSums, int count, int datasetSize) {
    float scale = 1f / count;
    double weight = 1.0 / datasetSize;
    optimizer.beginStep();
    runner.run(params.length, (sliceFrom, sliceTo) -> {
      // Tile by tile, so that the four passes read parameters, gradients and moments from cache, not memory.
      for (int from = sliceFrom; from < sliceTo; from += TILE) {
        int to = Math.min(sliceTo, from + TILE);
        for (int i = from; i < to; i++) {
          gradientSums[i] *= scale;
        }
        if (regulariser != null) {
          regulariser.addGradient(params, gradientSums, weight, from, to);
        }
        optimizer.step(params, gradientSums, from, to);
        for (Constraint constraint : constraints) {
          constraint.apply(params, from, to);
        }
      }
    });
  }

  /** The regulariser's value at these parameters (0 without one). */
  public double regulariserValue(float[] params) {
    return regulariser == null ? 0 : regulariser.value(params);
  }
}
