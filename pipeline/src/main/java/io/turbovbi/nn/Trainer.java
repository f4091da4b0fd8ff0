package io.turbovbi.nn;

import java.util.SplittableRandom;

/**
 * Mini-batch training on one JVM: per epoch a seeded shuffle, then per batch the summed gradient from the
 * {@link GradientEngine} and an {@link Update}.
 */
public final class Trainer {
  /** What one epoch did. */
  public record EpochResult(int epoch, double meanLoss, double regulariser, double accuracy, int samples,
                            int steps, double seconds) {
    public double samplesPerSecond() {
      return samples / seconds;
    }
  }

  private final GradientEngine engine;
  private final Update update;
  private final int batchSize;
  private final long seed;
  private final float[] gradients;

  public Trainer(GradientEngine engine, Update update, int batchSize, long seed) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.engine = engine;
    this.update = update;
    this.batchSize = batchSize;
    this.seed = seed;
    this.gradients = new float[engine.network().parameterCount()];
  }

  /** The noise keys of samples {@code ids[from .. from+n)} in an epoch: a sample's noise depends on nothing else. */
  public static long[] noiseKeys(long seed, int epoch, int[] ids, int from, int n) {
    long[] keys = new long[n];
    for (int s = 0; s < n; s++) {
      keys[s] = Seeds.derive(seed, epoch, ids[from + s]);
    }
    return keys;
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

  /** What one optimiser step saw: summed loss and correct predictions of its batch. */
  public record StepResult(double lossSum, int correct, int count) {}

  /**
   * One optimiser step on the samples {@code order[from .. from+n)} of a data set of {@code labels.length} samples;
   * {@code epoch} numbers epochs over the whole run and keys the noise.
   */
  public StepResult step(float[] params, float[] features, int[] labels, int[] order, int from, int n, int epoch) {
    long[] keys = noiseKeys(seed, epoch, order, from, n);
    GradientEngine.BatchLoss loss = engine.gradient(params, features, labels, order, from, n, keys, gradients);
    update.apply(params, gradients, n, labels.length);
    return new StepResult(loss.lossSum(), loss.correct(), n);
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
    long correct = 0;
    int steps = 0;
    for (int from = 0; from < count; from += batchSize) {
      StepResult result = step(params, features, labels, order, from, Math.min(batchSize, count - from), epoch);
      lossSum += result.lossSum();
      correct += result.correct();
      steps++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new EpochResult(epoch, lossSum / count, update.regulariserValue(params), (double) correct / count, count,
        steps, seconds);
  }
}
