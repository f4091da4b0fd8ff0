package io.turbovbi.jobs.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the heap of a driver JVM and of the executor JVMs it starts (its descendants running Spark's executor
 * backend) at a fixed interval, until closed. Every reading asks the JVM for a full collection, so a run watched
 * this way is slower than an unwatched one.
 */
final class HeapWatch implements AutoCloseable {
  private static final String EXECUTOR_MAIN = "CoarseGrainedExecutorBackend";
  /**
   * Attaching signals the JVM (SIGQUIT), which ends one that has not yet installed its handler: leave JVMs alone
   * for their first seconds.
   */
  private static final Duration YOUNGEST_ATTACHED = Duration.ofSeconds(3);
  private static final long CLOSE_WAIT_SECONDS = 60;

  private final ProcessHandle driver;
  private final Map<Long, HeapProbe> probes = new HashMap<>();
  private final Map<Long, HeapReadings> readings = new LinkedHashMap<>();
  private final Map<Long, String> lastFailures = new LinkedHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "heap-watch");
    thread.setDaemon(true);
    return thread;
  });

  HeapWatch(ProcessHandle driver, double intervalSeconds) {
    this.driver = driver;
    long interval = Math.round(intervalSeconds * 1000);
    timer.scheduleWithFixedDelay(this::readAll, interval, interval, TimeUnit.MILLISECONDS);
  }

  /** The driver's readings (empty if it was never read); call after {@link #close}. */
  HeapReadings driverReadings() {
    return readings.getOrDefault(driver.pid(), new HeapReadings());
  }

  /** The readings of each executor JVM that was read at least once; call after {@link #close}. */
  List<HeapReadings> executorReadings() {
    return readings.entrySet().stream().filter(entry -> entry.getKey() != driver.pid()).map(Map.Entry::getValue)
        .toList();
  }

  /** Why the last attempt to read a JVM failed, for each JVM whose last attempt failed. */
  Map<Long, String> lastFailures() {
    return Map.copyOf(lastFailures);
  }

  /** Runs on the timer's thread only. */
  private void readAll() {
    List<ProcessHandle> watched = new ArrayList<>();
    watched.add(driver);
    driver.descendants().filter(process -> process.info().commandLine().orElse("").contains(EXECUTOR_MAIN))
        .forEach(watched::add);
    Instant oldEnough = Instant.now().minus(YOUNGEST_ATTACHED);
    for (ProcessHandle process : watched) {
      long pid = process.pid();
      if (process.info().startInstant().map(start -> start.isAfter(oldEnough)).orElse(true)) {
        continue;
      }
      try {
        HeapProbe probe = probes.get(pid);
        if (probe == null) {
          probe = HeapProbe.attach(pid);
          probes.put(pid, probe);
        }
        HeapProbe.Reading reading = probe.read();
        readings.computeIfAbsent(pid, id -> new HeapReadings()).add(reading);
        lastFailures.remove(pid);
      } catch (IOException | RuntimeException e) {
        // A JVM that is ending, or one not ready to be attached yet: try again next time.
        lastFailures.put(pid, e.toString());
        HeapProbe stale = probes.remove(pid);
        if (stale != null) {
          stale.close();
        }
      }
    }
  }

  /** Stops reading and waits for a reading under way; then the readings no longer change. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
    probes.values().forEach(HeapProbe::close);
    probes.clear();
  }

  /** The heap readings of one JVM: its largest, and the median of its live readings (what it holds most of the time). */
  static final class HeapReadings {
    private long largestUsedBytes;
    private final List<Long> liveBytes = new ArrayList<>();

    void add(HeapProbe.Reading reading) {
      largestUsedBytes = Math.max(largestUsedBytes, reading.usedBytes());
      liveBytes.add(reading.liveBytes());
    }

    long largestUsedBytes() {
      return largestUsedBytes;
    }

    long largestLiveBytes() {
      return liveBytes.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The median of the live readings (the upper one of an even count). */
    long medianLiveBytes() {
      long[] sorted = liveBytes.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    int count() {
      return liveBytes.size();
    }
  }
}
