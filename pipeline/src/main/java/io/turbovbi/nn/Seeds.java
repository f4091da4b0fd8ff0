package io.turbovbi.nn;

/**
 * Derives independent random streams from a run's seed, so that what a sample draws depends only on the seed, the
 * epoch and the sample, never on threads, partitions or machines.
 */
public final class Seeds {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** The SplitMix64 finaliser: a bijective mix of 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public static long derive(long seed, long a) {
    return mix(seed + GOLDEN_GAMMA * mix(a + GOLDEN_GAMMA));
  }

  public static long derive(long seed, long a, long b) {
    return derive(derive(seed, a), b);
  }
}
