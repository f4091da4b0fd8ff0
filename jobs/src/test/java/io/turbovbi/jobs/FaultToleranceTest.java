package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.turbovbi.jobs.testkit.JobProcess;
import io.turbovbi.output.RunOutput;
import io.turbovbi.spark.pipeline.CheckpointFormat;
import io.turbovbi.spark.ml.CompressedNetworkModel;
import io.turbovbi.spark.train.FaultInjection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults really caused: the driver killed with SIGKILL during the iterations, while it writes a checkpoint or the
 * result, and while an {@code --overwrite} rerun replaces a finished run; tasks that fail on their first attempt; a
 * learning rate that makes training diverge, and a divergence injected after the first iterations. Every resumed run
 * must say where it resumed, run fewer rounds than a whole run, and end with the uninterrupted run's model.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FaultToleranceTest {
  @TempDir
  static Path temp;
  private static Path data;
  private static float[] reference;
  private static byte[] referenceMask;
  private static int referenceRounds;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    data = temp.resolve("data");
    TestRuns.writeIdx(data);
    TestRuns.Outcome outcome = TestRuns.compress(settings("reference"));
    assertEquals(0, outcome.status(), outcome.out());
    reference = TestRuns.params(temp.resolve("reference"));
    referenceMask = TestRuns.firstMask(temp.resolve("reference"));
    referenceRounds = TestRuns.rounds(outcome.out());
    assertTrue(referenceRounds > 0, outcome.out());
  }

  private static Map<String, String> settings(String name) {
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve(name).toString());
    settings.put("cluster.master", "local[2]");
    settings.put("cluster.partitions", "2");
    settings.put("turbo.ramp", "3");
    return settings;
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

  /**
   * Resumes the run and checks that it really resumed: it says after which iteration (at least {@code atLeast}),
   * runs fewer rounds than the uninterrupted run, and ends with the same model.
   */
  private static void assertResumesToTheReference(Map<String, String> settings, String name, int atLeast)
      throws Exception {
    TestRuns.Outcome resumed = TestRuns.compress(settings, "--resume");
    assertEquals(0, resumed.status(), resumed.out());
    int after = TestRuns.resumedAfter(resumed.out());
    assertTrue(after >= atLeast, "resumed after iteration " + after + ", expected at least " + atLeast + ":\n"
        + resumed.out());
    int rounds = TestRuns.rounds(resumed.out());
    assertTrue(rounds < referenceRounds, "the resumed run took " + rounds + " rounds, the whole run "
        + referenceRounds);
    double difference = TestRuns.maxDifference(reference, TestRuns.params(temp.resolve(name)));
    assertTrue(difference < 1e-5, "the resumed run differs from the uninterrupted one by " + difference);
    assertArrayEquals(referenceMask, TestRuns.firstMask(temp.resolve(name)));
  }

  /** A random generator whose seed is printed, and can be given back with -Dturbovbi.test.killSeed=SEED. */
  static SplittableRandom killPoints() {
    long seed = Long.getLong("turbovbi.test.killSeed", System.nanoTime());
    System.out.println("kill points drawn with seed " + seed + " (rerun with -Dturbovbi.test.killSeed=" + seed + ")");
    return new SplittableRandom(seed);
  }

  @Test
  void driverKilledDuringTheIterationsResumesToTheSameModel() throws Exception {
    SplittableRandom random = killPoints();
    int iteration = 1 + random.nextInt(3);
    long delayMillis = random.nextInt(400);
    System.out.printf("kill point: %d ms after checkpoint %d%n", delayMillis, iteration);
    Map<String, String> settings = settings("killed");
    Path checkpoint = temp.resolve("killed/checkpoints/iteration-000" + iteration);
    try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings), Map.of(), temp.resolve("killed.log"))) {
      job.awaitWhileRunning(() -> exists(checkpoint), "checkpoint " + iteration);
      Thread.sleep(delayMillis);
      job.kill();
    }
    assertFalse(exists(temp.resolve("killed/result")), "killed during the iterations, the job wrote no result");
    assertResumesToTheReference(settings, "killed", iteration);
  }

  @Test
  void driverKilledWhileWritingACheckpointLeavesOnlyCompleteOnes() throws Exception {
    Map<String, String> settings = settings("torn-checkpoint");
    Path checkpoints = temp.resolve("torn-checkpoint/checkpoints");
    try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings), Map.of(RunOutput.PAUSE_BEFORE_RENAME, "3000"),
        temp.resolve("torn-checkpoint.log"))) {
      job.awaitWhileRunning(() -> exists(checkpoints.resolve("iteration-0001"))
          && temporaryIn(checkpoints, ".iteration-0002"), "the half-written checkpoint 2");
      job.kill();
    }
    try (Stream<Path> files = Files.list(checkpoints)) {
      List<String> complete = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("iteration-"))
          .sorted().toList();
      assertEquals(List.of("iteration-0000", "iteration-0001"), complete, "only the complete checkpoints count");
    }
    assertResumesToTheReference(settings, "torn-checkpoint", 1);
    assertFalse(temporaryIn(checkpoints, "."), "the half-written checkpoint was removed at the start");
  }

  @Test
  void driverKilledWhileWritingTheResultLeavesNoHalfResult() throws Exception {
    Map<String, String> settings = settings("torn-result");
    Path output = temp.resolve("torn-result");
    try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings), Map.of(RunOutput.PAUSE_BEFORE_RENAME, "3000"),
        temp.resolve("torn-result.log"))) {
      job.awaitWhileRunning(() -> temporaryIn(output, ".result.tmp-"), "the half-written result");
      job.kill();
    }
    assertFalse(exists(output.resolve("result")), "no result directory until it is complete");
    assertResumesToTheReference(settings, "torn-result", 4);
    assertFalse(temporaryIn(output, ".result.tmp-"), "the half-written result was removed at the start");
  }

  @Test
  void aRerunWithOverwriteKilledAfterItsFirstCheckpointLeavesThePreviousResultLoadable() throws Exception {
    Path output = temp.resolve("rerun");
    copyTree(temp.resolve("reference"), output);
    Map<String, String> settings = settings("rerun");
    try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings, "--overwrite"), Map.of(),
        temp.resolve("rerun.log"))) {
      job.awaitWhileRunning(() -> exists(output.resolve("checkpoints/iteration-0000")), "the rerun's first checkpoint");
      job.kill();
    }
    assertArrayEquals(reference, TestRuns.params(output), "the previous result is still there");
    TestRuns.withLocalSpark(spark -> assertEquals(referenceMaskedWeights(),
        CompressedNetworkModel.load(output.resolve("result/model").toString()).toString()));
    assertResumesToTheReference(settings, "rerun", 0);
  }

  private static String referenceMaskedWeights() {
    return CompressedNetworkModel.load(temp.resolve("reference/result/model").toString()).toString();
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
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
  void aLearningRateThatDivergesStopsTheRunNamingWhereAndWritesNoModel() throws Exception {
    Map<String, String> settings = settings("diverged");
    settings.put("train.lr", "1e30");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(Launcher.EXIT_FAILURE, outcome.status(), outcome.out());
    assertTrue(outcome.out().matches("(?s).*error: (the warm-up|outer iteration \\d+): epoch \\d+ diverged: "
        + "(layer \\d+ .*has a non-finite|the loss is).*"), outcome.out());
    assertFalse(exists(temp.resolve("diverged/result")), "a diverged run writes no model");
  }

  @Test
  void aDivergenceInIterationTwoKeepsIterationOnesCheckpointAndTheRunResumes() throws Exception {
    Map<String, String> settings = settings("diverged-late");
    TestRuns.Outcome outcome;
    System.setProperty(FaultInjection.DIVERGE_IN_ITERATION, "2");
    try {
      outcome = TestRuns.compress(settings);
    } finally {
      System.clearProperty(FaultInjection.DIVERGE_IN_ITERATION);
    }
    assertEquals(Launcher.EXIT_FAILURE, outcome.status(), outcome.out());
    assertTrue(outcome.out().matches("(?s).*error: outer iteration 2: epoch \\d+ diverged: the loss is NaN.*"),
        outcome.out());
    assertTrue(outcome.out().contains("the last checkpoint is that of iteration 1"), outcome.out());
    assertFalse(exists(temp.resolve("diverged-late/result")), "a diverged run writes no model");
    RunOutput output = new RunOutput(temp.resolve("diverged-late").toString(), new Configuration());
    assertEquals(1, output.newestUsableCheckpoint(CheckpointFormat::read, warning -> fail(warning), "--overwrite")
        .orElseThrow().checkpoint().loop().iteration(), "iteration 1's checkpoint is the newest and reads back intact");
    assertResumesToTheReference(settings, "diverged-late", 1);
  }
}
