package io.turbovbi.turbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RampScheduleTest {
  @Test
  void everyScheduleGoesFromTheWholeNetworkToTheTargetAndHoldsIt() {
    for (RampSchedule schedule : RampSchedule.values()) {
      assertEquals(1.0, schedule.share(0, 8, 0.01), 1e-15, schedule.name());
      assertEquals(0.01, schedule.share(8, 8, 0.01), 1e-15, schedule.name());
      assertEquals(0.01, schedule.share(12, 8, 0.01), 1e-15, schedule.name());
      for (int t = 1; t <= 8; t++) {
        assertTrue(schedule.share(t, 8, 0.01) < schedule.share(t - 1, 8, 0.01), schedule + " falls at " + t);
      }
    }
  }

  @Test
  void cubicPrunesTheShareOfZhuAndGupta() {
    // s_t = s_f (1 - (1 - t/n)^3) with s_f = 0.99: at t = n/2 the pruned share is 0.99 * 7/8
    assertEquals(1 - 0.99 * 7.0 / 8, RampSchedule.CUBIC.share(4, 8, 0.01), 1e-12);
  }

  @Test
  void geometricGrowsTheCompressionByTheSameFactorEachIteration() {
    for (int t = 1; t <= 8; t++) {
      double ratio = RampSchedule.GEOMETRIC.share(t - 1, 8, 1 / 256.0) / RampSchedule.GEOMETRIC.share(t, 8, 1 / 256.0);
      assertEquals(2.0, ratio, 1e-12);
    }
  }

  @Test
  void rejectsAFinalShareOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> RampSchedule.CUBIC.share(1, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> RampSchedule.CUBIC.share(1, 4, 1.5));
  }
}
