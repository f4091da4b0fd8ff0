package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.testkit.AppJar;
import io.turbovbi.jobs.testkit.SparkSubmitRunner;
import io.turbovbi.jobs.testkit.StandaloneCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver JVM with a 512 MB heap trains for one epoch on a Parquet training set of more than 1 GB as floats: the
 * executors read, check and hold the data; the driver holds parameters and optimiser state. Opt-in (it writes
 * 1.1 GB and takes minutes): {@code mvn -pl jobs -am verify -Dtest=SmallDriverLargeDataTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dturbovbi.scale=true}.
 */
@Tag("scale")
@EnabledIfSystemProperty(named = "turbovbi.scale", matches = "true")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SmallDriverLargeDataTest {
  /** 345,000 images of 28 x 28 floats: 1.08 GB. */
  private static final long SAMPLES = 345_000;

  @TempDir
  static Path temp;

  @Test
  void aDriverOf512MbTrainsAnEpochOnMoreThanAGigabyteOfFloats() throws Exception {
    String data = temp.resolve("synthetic").toString();
    Map<String, String> write = new LinkedHashMap<>();
    write.put("data.shape", "1x28x28");
    write.put("cluster.master", "local[2]");
    TestRuns.Outcome written = TestRuns.run("synthetic", write, "--samples", Long.toString(SAMPLES), "--partitions",
        "8", "--to", data);
    assertEquals(0, written.status(), written.out());
    assertTrue(SAMPLES * 784 * Float.BYTES > 1_000_000_000L);

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("network", "dense(10)");
    settings.put("data.format", "parquet");
    settings.put("data.train", data);
    settings.put("data.shape", "1x28x28");
    settings.put("data.validation", "5000");
    settings.put("data.test.evaluate", "false");
    settings.put("method", "magnitude");
    settings.put("turbo.control", "free");
    settings.put("magnitude.epochs", "1");
    settings.put("finetune.epochs", "0");
    settings.put("cluster.batch", "4096");
    settings.put("cluster.partitions", "4");
    settings.put("output", temp.resolve("run").toString());
    Path appJar = AppJar.create().addProjectClasses().write(temp.resolve("turbovbi-app.jar"));
    try (StandaloneCluster cluster = StandaloneCluster.builder().workers(2).coresPerWorker(2)
        .memoryPerWorker("2g").start()) {
      SparkSubmitRunner.Result result = SparkSubmitRunner.builder(cluster.masterUrl())
          .mainClass(Launcher.class.getName()).applicationJar(appJar).args(TestRuns.args("compress", settings))
          .driverHeap("512m").conf("spark.executor.memory", "1800m").conf("spark.cores.max", "4")
          .conf("spark.scheduler.minRegisteredResourcesRatio", "1.0").timeout(Duration.ofMinutes(25)).build()
          .run();
      System.out.println(result.stdoutText());
      assertTrue(result.succeeded(), result::describe);
      assertTrue(result.stdoutText().contains("epoch 1 "), result.stdoutText());
      assertTrue(result.stdoutText().contains("written to"), result.stdoutText());
    }
  }
}
