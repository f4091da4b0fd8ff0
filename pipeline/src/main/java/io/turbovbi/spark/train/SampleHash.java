package io.turbovbi.spark.train;

import io.turbovbi.nn.Seeds;

/**
 * Where a sample goes, decided by a seeded hash of its stable id alone: whether it is held out for validation, and
 * which global mini-batch of an epoch takes it. Every executor decides for its own samples, and the decision does not
 * depend on the partition a sample lives in, so neither does the training.
 */
public final class SampleHash {
  private static final long VALIDATION = 0x7A1DA7E5L;
  private static final long KEPT = 0x4EE7L;
  private static final long BATCH = 0xBA7C4L;
  /** 2^-53: a 53-bit integer times this is uniform in [0, 1). */
  private static final double UNIT = 0x1.0p-53;

  private SampleHash() {}

  /** A number uniform in [0, 1) for (seed, purpose, id). */
  static double uniform(long seed, long purpose, long id) {
    return (Seeds.derive(seed, purpose, id) >>> 11) * UNIT;
  }

  /** Whether the sample is held out for validation when a share {@code fraction} of the data is. */
  public static boolean inValidation(long seed, long id, double fraction) {
    return uniform(seed, VALIDATION, id) < fraction;
  }

  /** Whether a training sample is kept when only a share {@code fraction} of the training data is used. */
  public static boolean kept(long seed, long id, double fraction) {
    return fraction >= 1 || uniform(seed, KEPT, id) < fraction;
  }

  /**
   * The global mini-batch of epoch {@code epoch}, in {@code [0, batches)}, that takes the sample: each sample picks
   * one uniformly, so a batch holds N / batches samples on average (binomially spread) and every sample is visited
   * once per epoch.
   */
  public static int batchOf(long seed, int epoch, long id, int batches) {
    return (int) (uniform(Seeds.derive(seed, BATCH), epoch, id) * batches);
  }
}
