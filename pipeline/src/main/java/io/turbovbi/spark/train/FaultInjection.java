package io.turbovbi.spark.train;

import io.turbovbi.nn.DivergenceException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only fault injection: with the Spark setting {@value #FAIL_FIRST_ATTEMPT} = true every task of a round throws
 * on its first attempt, so that fault tests can check that Spark's retries give the same result; with the system
 * property {@value #DIVERGE_IN_ITERATION} = N the w-step of outer iteration N (0: the warm-up) reports a divergence,
 * so that fault tests can make a run diverge after some of its checkpoints are written.
 */
public final class FaultInjection {
  public static final String FAIL_FIRST_ATTEMPT = "spark.turbovbi.test.failFirstAttempt";
  public static final String DIVERGE_IN_ITERATION = "turbovbi.test.divergeInIteration";
  private static final AtomicLong INJECTED = new AtomicLong();

  private FaultInjection() {}

  /** Failures injected in this JVM so far (executors of a local master run in the driver's JVM). */
  public static long injected() {
    return INJECTED.get();
  }

  static IllegalStateException failure(int partition) {
    INJECTED.incrementAndGet();
    return new IllegalStateException("injected failure of the first attempt of task " + partition + " ("
        + FAIL_FIRST_ATTEMPT + ")");
  }

  /** Reports a divergence in an epoch of outer iteration {@code iteration} if {@value #DIVERGE_IN_ITERATION} asks. */
  public static void divergeIfAsked(int iteration, int epoch) {
    if (Integer.getInteger(DIVERGE_IN_ITERATION, -1) == iteration) {
      throw new DivergenceException("epoch " + (epoch + 1) + " diverged: the loss is NaN (injected by the test-only "
          + "setting " + DIVERGE_IN_ITERATION + ")");
    }
  }
}
