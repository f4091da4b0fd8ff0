package io.turbovbi.jobs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HeapWatchTest {
  @Test
  void readingsKeepTheLargestAndTheMedianOfTheLiveHeap() {
    HeapWatch.HeapReadings readings = new HeapWatch.HeapReadings();
    assertEquals(0, readings.medianLiveBytes());
    long[][] usedAndLive = {{500, 100}, {900, 300}, {400, 120}, {700, 110}, {650, 130}};
    for (long[] reading : usedAndLive) {
      readings.add(new HeapProbe.Reading(reading[0], reading[1]));
    }
    assertEquals(5, readings.count());
    assertEquals(900, readings.largestUsedBytes());
    assertEquals(300, readings.largestLiveBytes());
    // Live readings sorted: 100 110 120 130 300; a transient peak does not move the median.
    assertEquals(120, readings.medianLiveBytes());
  }
}
