package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.testkit.AppJar;
import io.turbovbi.jobs.testkit.MiniHdfs;
import io.turbovbi.jobs.testkit.SparkSubmitRunner;
import io.turbovbi.jobs.testkit.StandaloneCluster;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The compress job on a real HDFS and on a real two-worker standalone cluster submitted through SparkSubmit. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DistributedCompressTest {
  @TempDir
  static Path temp;
  private static Path data;
  private static float[] localParams;
  private static byte[] localMask;
  private static Path appJar;

  /** The reference: the same run on an embedded local[2] Spark with local files. */
  @BeforeAll
  static void localRun() throws Exception {
    data = temp.resolve("data");
    TestRuns.writeIdx(data);
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve("local").toString());
    settings.put("cluster.master", "local[2]");
    settings.put("cluster.partitions", "2");
    assertEquals(0, TestRuns.compress(settings).status());
    localParams = TestRuns.params(temp.resolve("local"));
    localMask = TestRuns.firstMask(temp.resolve("local"));
  }

  @Test
  @Tag("hdfs")
  void readsItsDataFromAndWritesAllOutputsToHdfs() throws Exception {
    try (MiniHdfs hdfs = MiniHdfs.start()) {
      FileSystem fs = hdfs.fileSystem();
      for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte")) {
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path("/data/" + name))) {
          Files.copy(data.resolve(name), out);
        }
      }
      Map<String, String> settings = TestRuns.smallRun(hdfs.uri("/data"), hdfs.uri("/runs/hdfs"));
      settings.put("cluster.master", "local[2]");
      settings.put("cluster.partitions", "2");
      hdfs.sparkProperties().forEach(settings::put);
      settings.put("spark.hadoop.fs.defaultFS", hdfs.uri().toString());
      TestRuns.Outcome outcome = TestRuns.compress(settings);
      assertEquals(0, outcome.status(), outcome.out());
      assertTrue(outcome.out().contains("written to " + hdfs.uri("/runs/hdfs/result")), outcome.out());
      for (String file : List.of("metrics.json", "history.csv", "variational/params.npy", "mask/layer-1.npy",
          "mask/layer-2.npy", "pit/layer-2.npy")) {
        assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path("/runs/hdfs/result/" + file)).getLen() > 0, file);
      }
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/runs/hdfs/checkpoints/iteration-0003/state.bin")));
      float[] params = TestRuns.readFloats(fs.open(
          new org.apache.hadoop.fs.Path("/runs/hdfs/result/variational/params.npy")));
      double difference = TestRuns.maxDifference(localParams, params);
      assertTrue(difference < 1e-3, "HDFS run differs from the local one by " + difference);
    }
  }

  /** A spark-submit of the project's jar running the small compress job into {@code output} on a cluster. */
  private static SparkSubmitRunner.Builder submission(StandaloneCluster cluster, String output) throws Exception {
    if (appJar == null) {
      appJar = AppJar.create().addProjectClasses().write(temp.resolve("turbovbi-app.jar"));
    }
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve(output).toString());
    settings.put("cluster.partitions", "2");
    return SparkSubmitRunner.builder(cluster.masterUrl()).mainClass(Launcher.class.getName()).applicationJar(appJar)
        .args(TestRuns.args("compress", settings)).conf("spark.executor.memory", "512m")
        .conf("spark.cores.max", "2").conf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .timeout(Duration.ofMinutes(3));
  }

  @Test
  @Tag("cluster")
  void jarSubmittedToATwoWorkerClusterGivesTheLocalRunsModel() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.builder().workers(2).coresPerWorker(1).memoryPerWorker("1g")
        .start()) {
      SparkSubmitRunner.Result result = submission(cluster, "cluster").build().run();
      assertTrue(result.succeeded(), result::describe);
      System.out.println(result.stdoutText());
      assertTrue(result.stdoutText().contains("(" + cluster.masterUrl() + ")"), result.stdoutText());
    }
    float[] params = TestRuns.params(temp.resolve("cluster"));
    double difference = TestRuns.maxDifference(localParams, params);
    assertTrue(difference < 1e-3, "the cluster run differs from the local one by " + difference);
    assertArrayEquals(localMask, TestRuns.firstMask(temp.resolve("cluster")));
  }

  @Test
  @Tag("cluster")
  void losingAWorkerMidRunStillGivesTheLocalRunsModel() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.builder().workers(2).coresPerWorker(1).memoryPerWorker("1g")
        .start()) {
      SparkSubmitRunner.Submission submission = submission(cluster, "lost-worker").build().start();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!Files.readString(submission.stdoutFile()).contains("iter 1")) {
        assertTrue(submission.isAlive() && System.nanoTime() < deadline, "no first iteration:\n"
            + Files.readString(submission.stdoutFile()));
        Thread.sleep(50);
      }
      cluster.killWorker(1);
      SparkSubmitRunner.Result result = submission.await();
      assertTrue(result.succeeded(), result::describe);
      assertEquals(1, cluster.aliveWorkers(), "one worker was really lost");
    }
    float[] params = TestRuns.params(temp.resolve("lost-worker"));
    double difference = TestRuns.maxDifference(localParams, params);
    assertTrue(difference < 1e-3, "the run that lost a worker differs from the local one by " + difference);
  }
}
