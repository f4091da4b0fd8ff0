package io.turbovbi.compress;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * The kernels a pruned layer can run in (DESIGN 6: dense BLAS, compressed rows, 4x1 and 4x4 block-compressed rows,
 * run-length segments), and the choice among them by measurement.
 */
final class WeightKernels {
  /** Each candidate runs at least this many times and for at least this long per round; its best time counts. */
  private static final int MIN_REPEATS = 5;
  private static final long MIN_NANOS = 10_000_000L;
  private static final int ROUNDS = 3;

  private WeightKernels() {}

  /** Every kernel format, as factories from (row-major weights, bias, rows, cols). */
  static final List<CompactConvolution.KernelFactory> FACTORIES = List.of(
      DenseKernel::new,
      CsrKernel::new,
      (w, b, rows, cols) -> new BlockCsrKernel(w, b, rows, cols, 4, 1),
      (w, b, rows, cols) -> new BlockCsrKernel(w, b, rows, cols, 4, 4),
      SegmentKernel::new);

  /** A way to run a layer: its name and its forward pass (input, n) -> output. */
  record Candidate(String name, BiFunction<float[], Integer, float[]> forward) {
    float[] apply(float[] input, int n) {
      return forward.apply(input, n);
    }
  }

  /**
   * The candidate with the shortest best time on a random input of n samples (inputLength(n) floats), over
   * {@value #ROUNDS} rounds that visit every candidate in turn (so that the JIT's warm-up does not favour the last
   * ones): a choice by measurement on this machine, which may differ between runs when timings are close.
   */
  static Candidate fastest(List<Candidate> candidates, int n, IntFunction<Integer> inputLength) {
    Random random = new Random(1);
    float[] input = new float[inputLength.apply(n)];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    long[] best = new long[candidates.size()];
    java.util.Arrays.fill(best, Long.MAX_VALUE);
    for (int round = 0; round < ROUNDS; round++) {
      for (int c = 0; c < candidates.size(); c++) {
        long begin = System.nanoTime();
        for (int repeat = 0; repeat < MIN_REPEATS || System.nanoTime() - begin < MIN_NANOS; repeat++) {
          long start = System.nanoTime();
          candidates.get(c).apply(input, n);
          best[c] = Math.min(best[c], System.nanoTime() - start);
        }
      }
    }
    int chosen = 0;
    for (int c = 1; c < best.length; c++) {
      chosen = best[c] < best[chosen] ? c : chosen;
    }
    return candidates.get(chosen);
  }
}
