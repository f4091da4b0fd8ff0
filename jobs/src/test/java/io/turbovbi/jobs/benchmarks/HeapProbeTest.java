package io.turbovbi.jobs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeapProbeTest {
  private static final int HELD_MB = 160;

  @Test
  void readsTheLiveHeapOfAnotherJvmApartFromItsGarbage() throws Exception {
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xms2g", "-Xmx2g",
        "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
        Integer.toString(HELD_MB)).redirectErrorStream(true).start();
    try {
      assertEquals('r', child.getInputStream().read(), "the child JVM did not start");
      try (HeapProbe probe = HeapProbe.attach(child.pid())) {
        HeapProbe.Reading reading = probe.read();
        double liveMb = reading.liveBytes() / 1048576.0;
        double usedMb = reading.usedBytes() / 1048576.0;
        assertTrue(liveMb >= HELD_MB && liveMb < HELD_MB + 40, "live " + liveMb + " MB");
        // The child also made 3 x 160 MB of garbage, which no collection had to reclaim yet in a 2 GB heap.
        assertTrue(usedMb > liveMb + 100, "used " + usedMb + " MB, live " + liveMb + " MB");
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Holds an array of the given size in MB, makes three times as much garbage, says "r" and waits. */
  public static final class Holder {
    static float[] held;
    static volatile float[] garbage;

    public static void main(String[] args) throws Exception {
      int floats = Integer.parseInt(args[0]) * 1024 * 1024 / Float.BYTES;
      held = new float[floats];
      for (int i = 0; i < 3; i++) {
        garbage = new float[floats];
      }
      garbage = null;
      System.out.print('r');
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
