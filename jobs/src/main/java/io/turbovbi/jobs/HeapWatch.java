package io.turbovbi.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the heap of a driver JVM and of the executor JVMs it starts (its descendants running Spark's executor
 * backend) at a fixed interval, and keeps each JVM's highest readings. Every reading asks the JVM for a full
 * collection, so a run watched this way is slower than an unwatched one.
 */
final class HeapWatch implements AutoCloseable {
  private static final String EXECUTOR_MAIN = "CoarseGrainedExecutorBackend";

  private final ProcessHandle driver;
  private final Map<Long, HeapProbe> probes = new HashMap<>();
  private final Map<Long, Peak> peaks = new LinkedHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "heap-watch");
    thread.setDaemon(true);
    return thread;
  });

  HeapWatch(ProcessHandle driver, double intervalSeconds) {
    this.driver = driver;
    timer.scheduleWithFixedDelay(this::readAll, 0, Math.round(intervalSeconds * 1000), TimeUnit.MILLISECONDS);
  }

  /** The driver's peak, or null if it was never read. */
  synchronized Peak driverPeak() {
    return peaks.get(driver.pid());
  }

  /** The executors' peaks, one per executor JVM that was read at least once. */
  synchronized List<Peak> executorPeaks() {
    return peaks.entrySet().stream().filter(entry -> entry.getKey() != driver.pid()).map(Map.Entry::getValue)
        .toList();
  }

  private synchronized void readAll() {
    Set<Long> watched = new HashSet<>();
    watched.add(driver.pid());
    driver.descendants().filter(process -> process.info().commandLine().orElse("").contains(EXECUTOR_MAIN))
        .forEach(process -> watched.add(process.pid()));
    for (long pid : watched) {
      try {
        HeapProbe probe = probes.get(pid);
        if (probe == null) {
          probe = HeapProbe.attach(pid);
          probes.put(pid, probe);
        }
        HeapProbe.Reading reading = probe.read();
        peaks.computeIfAbsent(pid, Peak::new).add(reading);
      } catch (IOException | RuntimeException e) {
        // A JVM still starting or already gone: read it next time, or never again.
        HeapProbe stale = probes.remove(pid);
        if (stale != null) {
          stale.close();
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    probes.values().forEach(HeapProbe::close);
    probes.clear();
  }

  /** The highest readings of one JVM, and the median of its live readings (what it holds most of the time). */
  static final class Peak {
    private final long pid;
    private long usedBytes;
    private final List<Long> live = new ArrayList<>();

    Peak(long pid) {
      this.pid = pid;
    }

    void add(HeapProbe.Reading reading) {
      usedBytes = Math.max(usedBytes, reading.usedBytes());
      live.add(reading.liveBytes());
    }

    long pid() {
      return pid;
    }

    long usedBytes() {
      return usedBytes;
    }

    long liveBytes() {
      return live.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    long medianLiveBytes() {
      long[] sorted = live.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    int readings() {
      return live.size();
    }
  }
}
