package io.turbovbi.jobs.benchmarks;

import io.turbovbi.data.ImageShape;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.run.LocalClusterHome;
import io.turbovbi.output.JsonLine;
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
public final class ScaleBenchmark {
  /**
   * The command line each measured run is started with: {@code io.turbovbi.jobs.Launcher}, named here, not linked,
   * so that the benchmarks stay below the launcher that runs them (JobsLayoutTest checks the name).
   */
  public static final String LAUNCHER = "io.turbovbi.jobs.Launcher";
  private static final double BYTES_PER_MB = 1024.0 * 1024.0;
  /** Heap of the JVM that writes a synthetic data set (its executors are threads of that JVM). */
  private static final String WRITER_HEAP = "2g";
  /** Samples per Parquet part file of a synthetic data set (at least 8 files). */
  private static final int SAMPLES_PER_FILE = 50_000;
  private static final int MIN_FILES = 8;

  /** What every compress run of the benchmark does unless the command line sets it otherwise. */
  private static final Map<String, String> RUN_DEFAULTS = defaults();

  private final Path work;
  private final int driverMegabytes;
  private final int executorMegabytes;
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
  public ScaleBenchmark(Path work, String driverMemory, String executorMemory, double intervalSeconds,
                 Map<String, String> overrides, PrintStream out, PrintStream progress, boolean json) {
    if (!(intervalSeconds > 0)) {
      throw new ConfigException("--interval must be a positive number of seconds, got " + intervalSeconds);
    }
    this.work = work.toAbsolutePath();
    this.driverMegabytes = megabytes(driverMemory, "--driver-memory");
    this.executorMegabytes = megabytes(executorMemory, "--executor-memory");
    this.intervalSeconds = intervalSeconds;
    this.overrides = overrides;
    this.out = out;
    this.progress = progress;
    this.json = json;
  }

  public void run(List<Long> sizes, List<Integer> executorCounts) {
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
    Path data = work.resolve("data-" + runSetting("data.shape") + "-" + size);
    if (Files.exists(data.resolve("_SUCCESS"))) {
      progress.printf(Locale.ROOT, "scale-benchmark: reusing %,d samples in %s%n", size, data);
      return data;
    }
    LocalClusterHome.delete(data); // what an interrupted earlier run left
    progress.printf(Locale.ROOT, "scale-benchmark: writing %,d synthetic samples into %s%n", size, data);
    Path log = work.resolve(data.getFileName() + ".log");
    int files = (int) Math.max(MIN_FILES, size / SAMPLES_PER_FILE);
    List<String> args = new ArrayList<>(List.of("synthetic", "--samples", Long.toString(size), "--partitions",
        Integer.toString(files), "--to", data.toString(), "cluster.master=local[2]"));
    args.add("data.shape=" + runSetting("data.shape"));
    args.add("data.classes=" + runSetting("data.classes"));
    run(home, WRITER_HEAP, args, log, "the synthetic data set of " + size + " samples", null);
    return data;
  }

  private String runSetting(String key) {
    return overrides.getOrDefault(key, RUN_DEFAULTS.get(key));
  }

  private void measure(LocalClusterHome home, Path data, long size, int executors) {
    Path runFolder = work.resolve("run-" + size + "-" + executors);
    Map<String, String> settings = new LinkedHashMap<>(RUN_DEFAULTS);
    settings.put("data.train", data.toString());
    settings.put("output", runFolder.resolve("output").toString());
    settings.put("cluster.master", "local-cluster[" + executors + ",1," + executorMegabytes + "]");
    settings.put("spark.executor.memory", executorMegabytes + "m");
    // A standalone master counts the cores it expects from spark.cores.max only: without it the first job starts
    // with the first executor, which then packs most of the shards.
    settings.put("spark.cores.max", Integer.toString(executors));
    String extraClassPath = home.executorExtraClassPath();
    if (!extraClassPath.isEmpty()) {
      settings.put("spark.executor.extraClassPath", extraClassPath);
    }
    settings.putAll(overrides);
    List<String> args = new ArrayList<>(List.of("compress", "--overwrite"));
    settings.forEach((key, value) -> args.add(key + "=" + value));
    progress.printf(Locale.ROOT, "scale-benchmark: %,d samples on %d executors (driver %d MB, executors %d MB each)%n",
        size, executors, driverMegabytes, executorMegabytes);
    try {
      Files.createDirectories(runFolder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + runFolder, e);
    }
    long start = System.nanoTime();
    HeapWatch watch = run(home, driverMegabytes + "m", args, runFolder.resolve("driver.log"),
        "the compress run on " + size + " samples and " + executors + " executors", intervalSeconds);
    double seconds = (System.nanoTime() - start) / 1e9;
    HeapWatch.HeapReadings driver = watch.driverReadings();
    List<HeapWatch.HeapReadings> executorReadings = watch.executorReadings();
    if (driver.count() == 0 || executorReadings.size() != executors) {
      throw new IllegalStateException("the heap was read for " + (driver.count() == 0 ? "no driver" : "the driver")
          + " and " + executorReadings.size() + " executor JVMs of the " + executors + " asked for (more mean that "
          + "Spark replaced a lost executor): run longer (more samples) or read more often (--interval)"
          + (watch.lastFailures().isEmpty() ? "" : "; last failures by process: " + watch.lastFailures()));
    }
    report(size, executors, settings.get("network"), runSetting("data.shape"), driver, executorReadings, seconds);
  }

  private void report(long size, int executors, String network, String shape, HeapWatch.HeapReadings driver,
                      List<HeapWatch.HeapReadings> executorReadings, double seconds) {
    double largestExecutorLive = executorReadings.stream().mapToLong(HeapWatch.HeapReadings::largestLiveBytes).max()
        .orElse(0) / BYTES_PER_MB;
    double meanExecutorLargestLive = executorReadings.stream()
        .mapToLong(HeapWatch.HeapReadings::largestLiveBytes).average().orElse(0) / BYTES_PER_MB;
    double largestExecutorMedian = executorReadings.stream().mapToLong(HeapWatch.HeapReadings::medianLiveBytes)
        .max().orElse(0) / BYTES_PER_MB;
    double largestExecutorUsed = executorReadings.stream().mapToLong(HeapWatch.HeapReadings::largestUsedBytes).max()
        .orElse(0) / BYTES_PER_MB;
    double dataMb = size * (double) ImageShape.parse(shape).size() * Float.BYTES / BYTES_PER_MB;
    if (json) {
      out.println(new JsonLine().put("benchmark", "scale").put("network", network).put("samples", size)
          .put("executors", executors).put("samples_per_executor", size / (double) executors)
          .put("data_mb_as_floats", dataMb).put("driver_heap_max", driverMegabytes + "m")
          .put("executor_memory", executorMegabytes + "m")
          .put("driver_used_peak_mb", driver.largestUsedBytes() / BYTES_PER_MB)
          .put("driver_live_peak_mb", driver.largestLiveBytes() / BYTES_PER_MB)
          .put("driver_live_median_mb", driver.medianLiveBytes() / BYTES_PER_MB)
          .put("executor_used_peak_mb", largestExecutorUsed).put("executor_live_peak_mb", largestExecutorLive)
          .put("executor_live_peak_mean_mb", meanExecutorLargestLive)
          .put("executor_live_median_max_mb", largestExecutorMedian).put("driver_readings", driver.count())
          .put("seconds", seconds));
    } else {
      out.printf(Locale.ROOT, "%,9d samples (%,6.0f MB as floats), %d executors: driver live %6.1f MB at most, %6.1f"
              + " median (used %6.1f); executor live %7.1f MB at most, %7.1f on average (used %7.1f)  %.0f s%n", size,
          dataMb, executors, driver.largestLiveBytes() / BYTES_PER_MB, driver.medianLiveBytes() / BYTES_PER_MB,
          driver.largestUsedBytes() / BYTES_PER_MB, largestExecutorLive, meanExecutorLargestLive, largestExecutorUsed,
          seconds);
    }
  }

  /**
   * Runs a command of this jar in a JVM of its own, with the SPARK_HOME its local-cluster master needs, and waits
   * for it; with an interval, watches its heap and its executors' meanwhile.
   *
   * @return the closed watch, or null without an interval
   * @throws IllegalStateException if the command fails, with the end of its log
   */
  private static HeapWatch run(LocalClusterHome home, String heap, List<String> args, Path log, String what,
                               Double intervalSeconds) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + heap);
    command.add("-XX:+UseParallelGC");
    command.add("--add-modules=jdk.incubator.vector");
    command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    command.add("-cp");
    command.add(home.classPathArgument());
    command.add(LAUNCHER);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", home.home().toString());
    builder.environment().put("SPARK_SCALA_VERSION", LocalClusterHome.SCALA_VERSION);
    builder.environment().put("OPENBLAS_NUM_THREADS", "1");
    builder.environment().put("TURBOVBI_NO_RELAUNCH", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    Thread killer = new Thread(() -> killTree(process));
    Runtime.getRuntime().addShutdownHook(killer);
    HeapWatch watch = intervalSeconds == null ? null : new HeapWatch(process.toHandle(), intervalSeconds);
    try {
      int status = process.waitFor();
      if (status != 0) {
        throw new IllegalStateException(what + " failed with status " + status + "; the end of " + log + ":\n"
            + tail(log));
      }
      return watch;
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    } finally {
      if (watch != null) {
        watch.close();
      }
      Runtime.getRuntime().removeShutdownHook(killer);
    }
  }

  /** Kills a process and its descendants (a driver's executors), descendants first known. */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
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
    if (size == null || !size.matches("\\d{1,7}[mMgG]")) {
      throw new ConfigException(option + " takes a size such as 1g or 1536m, got " + size);
    }
    long number = Long.parseLong(size.substring(0, size.length() - 1));
    long megabytes = Character.toLowerCase(size.charAt(size.length() - 1)) == 'g' ? number * 1024 : number;
    if (megabytes < 1 || megabytes > Integer.MAX_VALUE) {
      throw new ConfigException(option + " takes a size from 1m to 2047g, got " + size);
    }
    return (int) megabytes;
  }

  private static Map<String, String> defaults() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("network", "lenet300");
    settings.put("data.format", "parquet");
    settings.put("data.shape", "1x28x28");
    settings.put("data.classes", "10");
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
