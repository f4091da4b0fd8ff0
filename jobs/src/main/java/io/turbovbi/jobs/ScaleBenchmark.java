package io.turbovbi.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Heap of the driver and of each executor against the training-set size and the executor count: for every size a
 * synthetic Parquet training set (the {@code synthetic} command), then for every executor count one {@code compress}
 * run in a driver JVM of its own whose master is a standalone cluster in that JVM ({@code local-cluster}: Master
 * and Workers inside, one executor JVM per Worker), watched by {@link HeapWatch}.
 */
final class ScaleBenchmark {
  private static final double BYTES_PER_MB = 1024.0 * 1024.0;
  private static final int SAMPLE_FLOATS = 28 * 28;

  /** What every compress run of the benchmark does unless the command line sets it otherwise. */
  private static final Map<String, String> RUN_DEFAULTS = defaults();

  private final Path work;
  private final String driverMemory;
  private final String executorMemory;
  private final double intervalSeconds;
  private final Map<String, String> overrides;
  private final PrintStream out;
  private final PrintStream progress;
  private final boolean json;

  /**
   * @param work            folder for the data sets (kept and reused across runs) and each run's output and log
   * @param driverMemory    the driver JVM's heap ({@code -Xmx}), e.g. {@code 1g}
   * @param executorMemory  {@code spark.executor.memory} of every executor, e.g. {@code 3g}
   * @param intervalSeconds time between two heap readings
   * @param overrides       compress settings that replace the benchmark's ({@code key=value} on the command line)
   */
  ScaleBenchmark(Path work, String driverMemory, String executorMemory, double intervalSeconds,
                 Map<String, String> overrides, PrintStream out, PrintStream progress, boolean json) {
    if (!(intervalSeconds > 0)) {
      throw new ConfigException("--interval must be a positive number of seconds, got " + intervalSeconds);
    }
    this.work = work.toAbsolutePath();
    this.driverMemory = megabytes(driverMemory, "--driver-memory") + "m";
    this.executorMemory = megabytes(executorMemory, "--executor-memory") + "m";
    this.intervalSeconds = intervalSeconds;
    this.overrides = overrides;
    this.out = out;
    this.progress = progress;
    this.json = json;
  }

  void run(List<Long> sizes, List<Integer> executorCounts) {
    for (long size : sizes) {
      if (size < 2) {
        throw new ConfigException("--samples takes sizes of at least 2, got " + size);
      }
    }
    for (int executors : executorCounts) {
      if (executors < 1) {
        throw new ConfigException("--executors takes counts of at least 1, got " + executors);
      }
    }
    LocalClusterHome home = LocalClusterHome.create(work.resolve("spark-home"));
    for (long size : sizes) {
      Path data = dataSet(home, size);
      for (int executors : executorCounts) {
        measure(home, data, size, executors);
      }
    }
  }

  private Path dataSet(LocalClusterHome home, long size) {
    Path data = work.resolve("data-" + size);
    if (Files.exists(data.resolve("_SUCCESS"))) {
      progress.printf(Locale.ROOT, "scale-benchmark: reusing %,d samples in %s%n", size, data);
      return data;
    }
    progress.printf(Locale.ROOT, "scale-benchmark: writing %,d synthetic samples into %s%n", size, data);
    Path log = work.resolve("data-" + size + ".log");
    Process process = start(home, "2g", List.of("synthetic", "--samples", Long.toString(size), "--partitions",
        Integer.toString(Math.max(8, (int) (size / 50_000))), "--to", data.toString(), "cluster.master=local[2]",
        "data.shape=1x28x28", "data.classes=10"), log);
    awaitSuccess(process, log, "the synthetic data set of " + size + " samples");
    return data;
  }

  private void measure(LocalClusterHome home, Path data, long size, int executors) {
    Path runFolder = work.resolve("run-" + size + "-" + executors);
    Map<String, String> settings = new LinkedHashMap<>(RUN_DEFAULTS);
    settings.put("data.train", data.toString());
    settings.put("output", runFolder.resolve("output").toString());
    settings.put("cluster.master", "local-cluster[" + executors + ",1," + executorMemory.replace("m", "") + "]");
    settings.put("spark.executor.memory", executorMemory);
    String extraClassPath = home.executorExtraClassPath();
    if (!extraClassPath.isEmpty()) {
      settings.put("spark.executor.extraClassPath", extraClassPath);
    }
    settings.putAll(overrides);
    List<String> args = new ArrayList<>(List.of("compress", "--overwrite"));
    settings.forEach((key, value) -> args.add(key + "=" + value));
    progress.printf(Locale.ROOT, "scale-benchmark: %,d samples on %d executors (driver %s, executors %s each)%n",
        size, executors, driverMemory, executorMemory);
    try {
      Files.createDirectories(runFolder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + runFolder, e);
    }
    Path log = runFolder.resolve("driver.log");
    long start = System.nanoTime();
    Process process = start(home, driverMemory, args, log);
    HeapWatch.Peak driver;
    List<HeapWatch.Peak> executorPeaks;
    try (HeapWatch watch = new HeapWatch(process.toHandle(), intervalSeconds)) {
      awaitSuccess(process, log, "the compress run on " + size + " samples and " + executors + " executors");
      driver = watch.driverPeak();
      executorPeaks = watch.executorPeaks();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (driver == null || executorPeaks.size() != executors) {
      throw new IllegalStateException("the heap of the driver and of " + executors + " executors was read for "
          + (driver == null ? "no driver" : "the driver") + " and " + executorPeaks.size() + " executors: run "
          + "longer (more samples) or read more often (--interval)");
    }
    report(size, executors, settings.get("network"), driver, executorPeaks, seconds);
  }

  private void report(long size, int executors, String network, HeapWatch.Peak driver,
                      List<HeapWatch.Peak> executorPeaks, double seconds) {
    double executorLiveMax = executorPeaks.stream().mapToLong(HeapWatch.Peak::liveBytes).max().orElse(0)
        / BYTES_PER_MB;
    double executorLiveMean = executorPeaks.stream().mapToLong(HeapWatch.Peak::liveBytes).average().orElse(0)
        / BYTES_PER_MB;
    double executorLiveMedian = executorPeaks.stream().mapToLong(HeapWatch.Peak::medianLiveBytes).max().orElse(0)
        / BYTES_PER_MB;
    double executorUsedMax = executorPeaks.stream().mapToLong(HeapWatch.Peak::usedBytes).max().orElse(0)
        / BYTES_PER_MB;
    double dataMb = size * (double) SAMPLE_FLOATS * Float.BYTES / BYTES_PER_MB;
    if (json) {
      out.println(new JsonLine().put("benchmark", "scale").put("network", network).put("samples", size)
          .put("executors", executors).put("samples_per_executor", size / (double) executors)
          .put("data_mb_as_floats", dataMb).put("driver_heap_max", driverMemory)
          .put("executor_memory", executorMemory).put("driver_used_peak_mb", driver.usedBytes() / BYTES_PER_MB)
          .put("driver_live_peak_mb", driver.liveBytes() / BYTES_PER_MB)
          .put("driver_live_median_mb", driver.medianLiveBytes() / BYTES_PER_MB)
          .put("executor_used_peak_mb", executorUsedMax).put("executor_live_peak_mb", executorLiveMax)
          .put("executor_live_peak_mean_mb", executorLiveMean).put("executor_live_median_max_mb", executorLiveMedian)
          .put("driver_readings", driver.readings())
          .put("seconds", seconds));
    } else {
      out.printf(Locale.ROOT, "%,9d samples (%,6.0f MB as floats), %d executors: driver live %6.1f MB at most, %6.1f"
              + " median (used %6.1f); executor live %7.1f MB at most, %7.1f on average (used %7.1f)  %.0f s%n", size,
          dataMb, executors, driver.liveBytes() / BYTES_PER_MB, driver.medianLiveBytes() / BYTES_PER_MB,
          driver.usedBytes() / BYTES_PER_MB, executorLiveMax, executorLiveMean, executorUsedMax, seconds);
    }
  }

  /** A command of this jar in a JVM of its own, with the SPARK_HOME its local-cluster master needs. */
  private static Process start(LocalClusterHome home, String heap, List<String> args, Path log) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + heap);
    command.add("-XX:+UseParallelGC");
    command.add("--add-modules=jdk.incubator.vector");
    command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    command.add("-cp");
    command.add(home.classPathArgument());
    command.add(Launcher.class.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", home.home().toString());
    builder.environment().put("SPARK_SCALA_VERSION", Launcher.SCALA_VERSION);
    builder.environment().put("OPENBLAS_NUM_THREADS", "1");
    builder.environment().put("TURBOVBI_NO_RELAUNCH", "1");
    try {
      Process process = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }));
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
  }

  private static void awaitSuccess(Process process, Path log, String what) {
    try {
      int status = process.waitFor();
      if (status != 0) {
        throw new IllegalStateException(what + " failed with status " + status + "; the end of " + log + ":\n"
            + tail(log));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read it: " + e.getMessage() + ")";
    }
  }

  private static int megabytes(String size, String option) {
    if (size == null || !size.matches("\\d+[mMgG]")) {
      throw new ConfigException(option + " takes a size such as 1g or 1536m, got " + size);
    }
    int number = Integer.parseInt(size.substring(0, size.length() - 1));
    return Character.toLowerCase(size.charAt(size.length() - 1)) == 'g' ? number * 1024 : number;
  }

  private static Map<String, String> defaults() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("network", "lenet300");
    settings.put("data.format", "parquet");
    settings.put("data.shape", "1x28x28");
    settings.put("data.validation", "1000");
    settings.put("data.test.evaluate", "false");
    settings.put("method", "turbo");
    settings.put("turbo.control", "free");
    settings.put("turbo.warmup.epochs", "1");
    settings.put("turbo.iterations", "1");
    settings.put("finetune.epochs", "0");
    return Collections.unmodifiableMap(settings);
  }
}
