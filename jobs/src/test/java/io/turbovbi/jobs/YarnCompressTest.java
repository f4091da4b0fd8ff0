package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.testkit.AppJar;
import io.turbovbi.jobs.testkit.MiniHdfs;
import io.turbovbi.jobs.testkit.MiniYarn;
import io.turbovbi.jobs.testkit.SparkSubmitRunner;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compress job submitted to YARN (a MiniYARNCluster over a MiniDFSCluster) in client and in cluster deploy mode,
 * with its data and its output on hdfs://: YARN reports the application SUCCEEDED, and the model is the one a local
 * run makes.
 */
@Tag("yarn")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class YarnCompressTest {
  @TempDir
  static Path temp;
  private static MiniHdfs hdfs;
  private static MiniYarn yarn;
  private static float[] localParams;
  private static Path appJar;

  @BeforeAll
  static void start() throws Exception {
    Path data = temp.resolve("data");
    TestRuns.writeIdx(data);
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve("local").toString());
    settings.put("cluster.master", "local[2]");
    settings.put("cluster.partitions", "2");
    assertEquals(0, TestRuns.compress(settings).status());
    localParams = TestRuns.params(temp.resolve("local"));
    hdfs = MiniHdfs.start();
    for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte")) {
      try (OutputStream out = hdfs.fileSystem().create(new org.apache.hadoop.fs.Path("/data/" + name))) {
        Files.copy(data.resolve(name), out);
      }
    }
    yarn = MiniYarn.start(hdfs.configuration(), temp.resolve("yarn"));
    appJar = AppJar.create().addProjectClasses().write(temp.resolve("turbovbi-app.jar"));
  }

  @AfterAll
  static void stop() {
    if (yarn != null) {
      yarn.close();
    }
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"client", "cluster"})
  void compressSubmittedToYarnSucceedsWithTheLocalRunsModel(String deployMode) throws Exception {
    Set<?> before = yarn.applicationIds();
    String output = "/runs/" + deployMode;
    Map<String, String> settings = TestRuns.smallRun(hdfs.uri("/data"), hdfs.uri(output));
    settings.put("cluster.partitions", "2");
    SparkSubmitRunner.Result result = SparkSubmitRunner.builder("yarn").deployMode(deployMode)
        .mainClass(Launcher.class.getName()).applicationJar(appJar).appName("turbovbi-yarn-" + deployMode)
        .args(TestRuns.args("compress", settings)).confs(yarn.sparkProperties()).confs(hdfs.sparkProperties())
        .conf("spark.hadoop.fs.defaultFS", hdfs.uri().toString()).conf("spark.executor.instances", "2")
        .conf("spark.executor.cores", "1").conf("spark.executor.memory", "512m")
        .conf("spark.yarn.am.memory", "512m").conf("spark.driver.memory", "768m")
        .conf("spark.yarn.maxAppAttempts", "1").env("YARN_CONF_DIR", yarn.confDir().toString())
        .timeout(Duration.ofMinutes(4)).build().run();
    assertTrue(result.succeeded(), result::describe);
    List<ApplicationReport> submitted = yarn.applications().stream()
        .filter(report -> !before.contains(report.getApplicationId())).toList();
    assertEquals(1, submitted.size(), submitted.toString());
    ApplicationReport application = submitted.get(0);
    System.out.printf("YARN %s mode: %s %s, final status %s, %s%n", deployMode, application.getApplicationId(),
        application.getYarnApplicationState(), application.getFinalApplicationStatus(), application.getName());
    assertEquals(YarnApplicationState.FINISHED, application.getYarnApplicationState(), application.getDiagnostics());
    assertEquals(FinalApplicationStatus.SUCCEEDED, application.getFinalApplicationStatus(),
        application.getDiagnostics());
    FileSystem fs = hdfs.fileSystem();
    float[] params = TestRuns.readFloats(fs.open(new org.apache.hadoop.fs.Path(output
        + "/result/variational/params.npy")));
    double difference = TestRuns.maxDifference(localParams, params);
    assertTrue(difference < 1e-3, "the YARN " + deployMode + "-mode run differs from the local one by " + difference);
  }
}
