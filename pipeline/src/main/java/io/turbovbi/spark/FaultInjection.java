package io.turbovbi.spark;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only fault injection: with the Spark setting {@value #FAIL_FIRST_ATTEMPT} = true every task of a round throws
 * on its first attempt, so that fault tests can check that Spark's retries give the same result.
 */
public final class FaultInjection {
  public static final String FAIL_FIRST_ATTEMPT = "spark.turbovbi.test.failFirstAttempt";
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
}
