package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.testkit.JobProcess;
import io.turbovbi.spark.FaultInjection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults really caused: the driver killed with SIGKILL during the iterations and while it writes a checkpoint or
 * the result, tasks that fail on their first attempt, a learning rate that makes training diverge.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FaultToleranceTest {
  @TempDir
  static Path temp;
  private static Path data;
  private static float[] reference;
  private static byte[] referenceMask;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    data = temp.resolve("data");
    TestRuns.writeIdx(data);
    TestRuns.Outcome outcome = TestRuns.compress(settings("reference"));
    assertEquals(0, outcome.status(), outcome.out());
    reference = TestRuns.params(temp.resolve("reference"));
    referenceMask = TestRuns.firstMask(temp.resolve("reference"));
  }

  private static Map<String, String> settings(String name) {
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve(name).toString());
    settings.put("cluster.master", "local[2]");
    settings.put("cluster.partitions", "2");
    settings.put("turbo.ramp", "3");
    return settings;
  }

  private static void waitFor(BooleanSupplier condition, JobProcess job, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(job.isAlive(), "the job ended before " + what + ":\n" + job.output());
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + ":\n" + job.output());
      Thread.sleep(20);
    }
  }

  private static boolean exists(Path path) {
    return Files.exists(path);
  }

  private static boolean temporaryIn(Path folder, String prefix) {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void assertResumesToTheReference(Map<String, String> settings, String name) throws Exception {
    TestRuns.Outcome resumed = TestRuns.compress(settings, "--resume");
    assertEquals(0, resumed.status(), resumed.out());
    double difference = TestRuns.maxDifference(reference, TestRuns.params(temp.resolve(name)));
    assertTrue(difference < 1e-5, "the resumed run differs from the uninterrupted one by " + difference);
    assertArrayEquals(referenceMask, TestRuns.firstMask(temp.resolve(name)));
  }

  @Test
  void driverKilledDuringTheIterationsResumesToTheSameModel() throws Exception {
    SplittableRandom random = new SplittableRandom(System.nanoTime());
    int iteration = 1 + random.nextInt(3);
    long delayMillis = random.nextInt(400);
    Map<String, String> settings = settings("killed");
    Path checkpoint = temp.resolve("killed/checkpoints/iteration-000" + iteration);
    try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings), Map.of(), temp.resolve("killed.log"))) {
      waitFor(() -> exists(checkpoint), job, "checkpoint " + iteration);
      Thread.sleep(delayMillis);
      job.kill();
    }
    assertFalse(exists(temp.resolve("killed/result")), "killed during the iterations, the job wrote no result");
    System.out.printf("killed the driver %d ms after checkpoint %d%n", delayMillis, iteration);
    assertResumesToTheReference(settings, "killed");
  }

  @Test
  void driverKilledWhileWritingACheckpointLeavesOnlyCompleteOnes() throws Exception {
    Map<String, String> settings = settings("torn-checkpoint");
    Path checkpoints = temp.resolve("torn-checkpoint/checkpoints");
    try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings), Map.of(RunOutput.PAUSE_BEFORE_RENAME, "3000"),
        temp.resolve("torn-checkpoint.log"))) {
      waitFor(() -> exists(checkpoints.resolve("iteration-0001")) && temporaryIn(checkpoints, ".iteration-0002"),
          job, "the half-written checkpoint 2");
      job.kill();
    }
    try (Stream<Path> files = Files.list(checkpoints)) {
      List<String> complete = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("iteration-"))
          .toList();
      assertEquals(List.of("iteration-0001"), complete, "only the previous complete checkpoint counts");
    }
    assertResumesToTheReference(settings, "torn-checkpoint");
  }

  @Test
  void driverKilledWhileWritingTheResultLeavesNoHalfResult() throws Exception {
    Map<String, String> settings = settings("torn-result");
    Path output = temp.resolve("torn-result");
    try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings), Map.of(RunOutput.PAUSE_BEFORE_RENAME, "3000"),
        temp.resolve("torn-result.log"))) {
      waitFor(() -> temporaryIn(output, ".result.tmp-"), job, "the half-written result");
      job.kill();
    }
    assertFalse(exists(output.resolve("result")), "no result directory until it is complete");
    assertResumesToTheReference(settings, "torn-result");
  }

  @Test
  void tasksFailingOnTheirFirstAttemptAreRetriedToTheSameModel() throws Exception {
    Map<String, String> settings = settings("retried");
    settings.put("cluster.master", "local[2,4]");
    settings.put(FaultInjection.FAIL_FIRST_ATTEMPT, "true");
    long before = FaultInjection.injected();
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(0, outcome.status(), outcome.out());
    assertTrue(FaultInjection.injected() - before > 100, "every task of every round failed once");
    double difference = TestRuns.maxDifference(reference, TestRuns.params(temp.resolve("retried")));
    assertTrue(difference < 1e-5, "the retried run differs by " + difference);
  }

  @Test
  void aDivergingRunStopsNamingIterationAndLayerAndKeepsTheLastGoodCheckpoint() throws Exception {
    Map<String, String> settings = settings("diverged");
    settings.put("train.lr", "1e30");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(Launcher.EXIT_FAILURE, outcome.status(), outcome.out());
    assertTrue(outcome.out().matches("(?s).*error: (the warm-up|outer iteration \\d+): epoch \\d+ diverged: "
        + "(layer \\d+ .*has a non-finite|the loss is).*"), outcome.out());
    assertFalse(exists(temp.resolve("diverged/result")), "a diverged run writes no model");
  }
}
