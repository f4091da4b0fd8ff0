package io.turbovbi.nn;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch training on one JVM: per epoch a seeded shuffle, then per batch the summed gradient from the
 * {@link GradientEngine}, an optional regulariser, an optimiser step and the constraints.
 *
 * <p>The objective per step is {@code (1/B) sum_batch CE + weight * R(params)}; with {@code weight = 1/|D|} and R the
 * KL divergence this is the negative ELBO divided by |D|, i.e. the data term scaled by |D|/B as DESIGN.md asks.
 */
public final class Trainer {
  /** A term added to the objective that depends on the parameters only (e.g. a KL divergence). */
  public interface Regulariser {
    /** Adds {@code weight * dR/dparams} to gradients and returns R. */
    double addGradient(float[] params, float[] gradients, double weight);
  }

  /** A projection applied after every optimiser step (e.g. a cap on log-variances, a pruning mask). */
  public interface Constraint {
    void apply(float[] params);
  }

  /** What one epoch did. */
  public record EpochResult(int epoch, double meanLoss, double regulariser, double accuracy, int samples,
                            int steps, double seconds) {
    public double samplesPerSecond() {
      return samples / seconds;
    }
  }

  private final GradientEngine engine;
  private final Optimizer optimizer;
  private final int batchSize;
  private final long seed;
  private final Regulariser regulariser;
  private final List<Constraint> constraints;
  private final float[] gradients;

  public Trainer(GradientEngine engine, Optimizer optimizer, int batchSize, long seed, Regulariser regulariser,
                 List<Constraint> constraints) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.engine = engine;
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.seed = seed;
    this.regulariser = regulariser;
    this.constraints = List.copyOf(constraints);
    this.gradients = new float[engine.network().parameterCount()];
  }

  /** The seeded order in which an epoch visits the samples. */
  public static int[] epochOrder(long seed, int epoch, int count) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 0x5EED, epoch));
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    return order;
  }

  /** What one optimiser step saw: summed loss and correct predictions of its batch, and the regulariser. */
  public record StepResult(double lossSum, int correct, int count, double regulariser) {}

  /**
   * One optimiser step on the samples {@code order[from .. from+n)} of a data set of {@code labels.length} samples;
   * {@code epoch} numbers epochs over the whole run and keys the noise.
   */
  public StepResult step(float[] params, float[] features, int[] labels, int[] order, int from, int n, int epoch) {
    long[] keys = new long[n];
    for (int s = 0; s < n; s++) {
      keys[s] = Seeds.derive(seed, epoch, order[from + s]);
    }
    GradientEngine.BatchLoss loss = engine.gradient(params, features, labels, order, from, n, keys, gradients);
    float scale = 1f / n;
    for (int i = 0; i < gradients.length; i++) {
      gradients[i] *= scale;
    }
    double regulariserValue = regulariser == null ? 0
        : regulariser.addGradient(params, gradients, 1.0 / labels.length);
    optimizer.step(params, gradients);
    for (Constraint constraint : constraints) {
      constraint.apply(params);
    }
    return new StepResult(loss.lossSum(), loss.correct(), n, regulariserValue);
  }

  /**
   * Runs one epoch over the {@code labels.length} samples; {@code epoch} numbers epochs over the whole run (it
   * seeds the shuffle and the noise).
   */
  public EpochResult epoch(float[] params, float[] features, int[] labels, int epoch) {
    long start = System.nanoTime();
    int count = labels.length;
    int[] order = epochOrder(seed, epoch, count);
    double lossSum = 0;
    double regulariserValue = 0;
    long correct = 0;
    int steps = 0;
    for (int from = 0; from < count; from += batchSize) {
      StepResult result = step(params, features, labels, order, from, Math.min(batchSize, count - from), epoch);
      lossSum += result.lossSum();
      correct += result.correct();
      regulariserValue = result.regulariser();
      steps++;
    }
    return new EpochResult(epoch, lossSum / count, regulariserValue, (double) correct / count, count, steps,
        (System.nanoTime() - start) / 1e9);
  }
}
