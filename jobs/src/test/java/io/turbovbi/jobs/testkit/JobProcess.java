package io.turbovbi.jobs.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job of this project's launcher running in a JVM of its own (the test's class path and Spark's JVM options), so
 * that a test can kill it with SIGKILL at a chosen moment, as a crashed driver would die.
 */
public final class JobProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private JobProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code io.turbovbi.jobs.Launcher args} with the given system properties; its output goes to
   * {@code log}. OPENBLAS_NUM_THREADS is set, so the launcher does not relaunch itself and the process started is
   * the driver.
   */
  public static JobProcess start(List<String> args, Map<String, String> systemProperties, Path log) {
    return start(args, systemProperties, log, "2g");
  }

  /** As {@link #start(List, Map, Path)}, with a driver heap of {@code heap} (-Xmx). */
  public static JobProcess start(List<String> args, Map<String, String> systemProperties, Path log, String heap) {
    List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
    options.addAll(ChildJvm.sparkJvmOptions());
    systemProperties.forEach((key, value) -> options.add("-D" + key + "=" + value));
    Process process = ChildJvm.start(options, ChildJvm.testClasspath(), "io.turbovbi.jobs.Launcher", args,
        Map.of("OPENBLAS_NUM_THREADS", "1", "SPARK_LOCAL_IP", ChildJvm.LOOPBACK), log, null);
    return new JobProcess(process, log);
  }

  /** Kills the job and everything it started at once (SIGKILL). */
  public void kill() {
    ChildJvm.killTree(process);
  }

  /** Waits for the job to end and returns its exit status. */
  public int waitFor(java.time.Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
      throw new IllegalStateException("the job did not end within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /**
   * Waits until {@code condition} holds while the job runs (at most two minutes); fails, with the job's output, if the
   * job ends first or the time runs out.
   */
  public void awaitWhileRunning(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new AssertionError("the job ended before " + what + ":\n" + output());
      }
      if (System.nanoTime() >= deadline) {
        throw new AssertionError("timed out waiting for " + what + ":\n" + output());
      }
      Thread.sleep(20);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
