package io.turbovbi.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DigammaTest {

  /** Euler-Mascheroni constant (Abramowitz and Stegun 6.1.3). */
  private static final double EULER_GAMMA = 0.57721566490153286061;

  @Test
  void matchesPublishedValuesAtOneAndOneHalf() {
    // Abramowitz and Stegun 6.3.2 and 6.3.3
    assertEquals(-EULER_GAMMA, Digamma.digamma(1), 1e-15);
    assertEquals(-EULER_GAMMA - 2 * Math.log(2), Digamma.digamma(0.5), 1e-15);
  }

  @Test
  void matchesHarmonicNumbersAtIntegers() {
    double harmonic = 0;
    for (int n = 1; n < 60; n++) {
      harmonic += 1.0 / n;
      assertEquals(harmonic - EULER_GAMMA, Digamma.digamma(n + 1), 4e-15, "psi(" + (n + 1) + ")");
    }
  }

  @Test
  void satisfiesTheRecurrenceAcrossTheSeriesThreshold() {
    for (double x = 0.013; x < 40; x *= 1.37) {
      assertEquals(Digamma.digamma(x) + 1 / x, Digamma.digamma(x + 1), 1e-13 * Math.max(1, 1 / x), "x " + x);
    }
  }

  @Test
  void rejectsArgumentsOutsideItsDomain() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digamma.digamma(0));
    assertEquals("digamma needs a finite x > 0, got 0.0", e.getMessage());
  }
}
