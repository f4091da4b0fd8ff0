package io.turbovbi.compress;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The kernels a pruned layer can run in (DESIGN 6: dense BLAS, compressed rows, 4x1 and 4x4 block-compressed rows,
 * run-length segments), and the choice among them by measurement.
 */
final class WeightKernels {
  /** Each way runs at least this many times and for at least this long per round; its best time counts. */
  static final int MIN_REPEATS = 5;
  private static final long MIN_NANOS = 10_000_000L;
  static final int ROUNDS = 3;

  private WeightKernels() {}

  /** Every kernel format, as factories from (row-major weights, bias, rows, cols). */
  static final List<CompactConvolution.KernelFactory> FACTORIES = List.of(
      DenseKernel::new,
      CsrKernel::new,
      (w, b, rows, cols) -> new BlockCsrKernel(w, b, rows, cols, 4, 1),
      (w, b, rows, cols) -> new BlockCsrKernel(w, b, rows, cols, 4, 4),
      SegmentKernel::new);

  /**
   * The index of the fastest of {@code count} ways to run a pass: {@code select.accept(c)} switches to way c,
   * {@code pass} runs it once. Each way's best time over {@value #ROUNDS} rounds that visit every way in turn (so
   * that the JIT's warm-up does not favour the last ones) counts: a choice by measurement on this machine, which may
   * differ between runs when timings are close. The last way tried stays selected.
   */
  static int fastest(int count, IntConsumer select, Runnable pass) {
    long[] best = new long[count];
    Arrays.fill(best, Long.MAX_VALUE);
    for (int round = 0; round < ROUNDS; round++) {
      for (int c = 0; c < count; c++) {
        select.accept(c);
        long begin = System.nanoTime();
        for (int repeat = 0; repeat < MIN_REPEATS || System.nanoTime() - begin < MIN_NANOS; repeat++) {
          long start = System.nanoTime();
          pass.run();
          best[c] = Math.min(best[c], System.nanoTime() - start);
        }
      }
    }
    int chosen = 0;
    for (int c = 1; c < count; c++) {
      chosen = best[c] < best[chosen] ? c : chosen;
    }
    return chosen;
  }
}
