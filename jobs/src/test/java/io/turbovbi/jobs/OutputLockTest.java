package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.testkit.JobProcess;
import io.turbovbi.jobs.testkit.MiniHdfs;
import io.turbovbi.output.OutputLock;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per output: a second job on an output that a running job holds is refused at once, naming the holder,
 * on the local file system and on HDFS; a stale lock is cleared as the README says; a driver killed on HDFS resumes.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class OutputLockTest {
  @TempDir
  static Path temp;
  private static Path data;
  private static float[] reference;
  private static int referenceRounds;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    data = temp.resolve("data");
    TestRuns.writeIdx(data);
    TestRuns.Outcome outcome = TestRuns.compress(settings(temp.resolve("reference").toString()));
    assertEquals(0, outcome.status(), outcome.out());
    reference = TestRuns.params(temp.resolve("reference"));
    referenceRounds = TestRuns.rounds(outcome.out());
  }

  private static Map<String, String> settings(String output) {
    Map<String, String> settings = TestRuns.smallRun(data.toString(), output);
    settings.put("cluster.master", "local[2]");
    settings.put("cluster.partitions", "2");
    settings.put("turbo.ramp", "3");
    return settings;
  }

  /** Runs a second job on the output a running job holds: refused within 5 s, naming the holder's process. */
  private static void assertSecondJobRefused(Map<String, String> settings, JobProcess holder) {
    long start = System.nanoTime();
    TestRuns.Outcome second = TestRuns.compress(settings, "--resume");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(Launcher.EXIT_USAGE, second.status(), second.out());
    assertTrue(second.out().matches("(?s).*is in use by turbovbi compress, Spark application \\S+ \\(process "
        + holder.pid() + " on .*"), second.out());
    assertTrue(second.out().contains("if that job is no longer running, delete the lock file"), second.out());
    assertTrue(seconds < 5, "refused after " + seconds + " s");
    assertTrue(holder.isAlive(), "the first job goes on:\n" + holder.output());
  }

  @Test
  void aSecondJobOnTheSameLocalOutputIsRefusedNamingTheFirst() throws Exception {
    Path output = temp.resolve("busy");
    Map<String, String> settings = settings(output.toString());
    try (JobProcess first = JobProcess.start(TestRuns.args("compress", settings), Map.of(),
        temp.resolve("busy.log"))) {
      first.awaitWhileRunning(() -> Files.exists(output.resolve("checkpoints/iteration-0000")), "the first checkpoint");
      assertSecondJobRefused(settings, first);
      assertEquals(0, first.waitFor(Duration.ofMinutes(3)), first.output());
    }
    assertArrayEquals(reference, TestRuns.params(output), "the first job's result is whole");
  }

  @Test
  void aLockOfAnotherHostIsClearedByDeletingItAndALockOfAGoneProcessIsRemoved() throws Exception {
    Path output = temp.resolve("stale");
    Files.createDirectories(output);
    Files.writeString(output.resolve(OutputLock.NAME), "{\"application\":\"turbovbi compress\",\"host\":"
        + "\"elsewhere.example\",\"pid\":4242,\"user\":\"someone\",\"started\":\"2026-11-29T08:00:00Z\"}");
    Map<String, String> settings = settings(output.toString());
    TestRuns.Outcome refused = TestRuns.compress(settings);
    assertEquals(Launcher.EXIT_USAGE, refused.status(), refused.out());
    assertTrue(refused.out().contains("is in use by turbovbi compress (process 4242 on elsewhere.example, user "
        + "someone, started 2026-11-29T08:00:00Z) (lock file "), refused.out());

    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(output.resolve(OutputLock.NAME), "{\"application\":\"turbovbi compress\",\"host\":\""
        + InetAddress.getLocalHost().getHostName() + "\",\"pid\":" + gone.pid() + "}");
    TestRuns.Outcome cleared = TestRuns.compress(settings);
    assertEquals(0, cleared.status(), cleared.out());
    assertTrue(cleared.out().contains("removing the stale lock of turbovbi compress (process " + gone.pid()),
        cleared.out());
    assertTrue(Files.notExists(output.resolve(OutputLock.NAME)), "the lock is released at the end");
  }

  @Test
  @Tag("hdfs")
  void onHdfsASecondJobIsRefusedAndAKilledDriverResumes() throws Exception {
    try (MiniHdfs hdfs = MiniHdfs.start()) {
      FileSystem fs = hdfs.fileSystem();
      Map<String, String> settings = settings(hdfs.uri("/runs/killed"));
      hdfs.sparkProperties().forEach(settings::put);
      long seed = Long.getLong("turbovbi.test.killSeed", System.nanoTime());
      System.out.println("kill points drawn with seed " + seed + " (rerun with -Dturbovbi.test.killSeed=" + seed
          + ")");
      java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
      int iteration = 1 + random.nextInt(3);
      long delayMillis = random.nextInt(400);
      System.out.printf("kill point: %d ms after checkpoint %d%n", delayMillis, iteration);
      org.apache.hadoop.fs.Path checkpoint = new org.apache.hadoop.fs.Path("/runs/killed/checkpoints/iteration-000"
          + iteration);
      try (JobProcess job = JobProcess.start(TestRuns.args("compress", settings), Map.of(),
          temp.resolve("hdfs-killed.log"))) {
        job.awaitWhileRunning(() -> exists(fs, checkpoint), "checkpoint " + iteration);
        assertSecondJobRefused(settings, job);
        Thread.sleep(delayMillis);
        job.kill();
      }
      TestRuns.Outcome resumed = TestRuns.compress(settings, "--resume");
      assertEquals(0, resumed.status(), resumed.out());
      assertTrue(TestRuns.resumedAfter(resumed.out()) >= iteration, resumed.out());
      assertTrue(TestRuns.rounds(resumed.out()) < referenceRounds, resumed.out());
      float[] params = TestRuns.readFloats(fs.open(
          new org.apache.hadoop.fs.Path("/runs/killed/result/variational/params.npy")));
      double difference = TestRuns.maxDifference(reference, params);
      assertTrue(difference < 1e-5, "the resumed run differs from the uninterrupted one by " + difference);
    }
  }

  private static boolean exists(FileSystem fs, org.apache.hadoop.fs.Path path) {
    try {
      return fs.exists(path);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
