package io.turbovbi.jobs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.turbovbi.jobs.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The scale benchmark end to end on a small data set: a driver JVM and two executor JVMs, each read. */
class ScaleBenchmarkTest {
  @TempDir
  Path work;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void readsTheDriverAndEveryExecutorOfARunOnAStandaloneClusterInsideTheDriver() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    new ScaleBenchmark(work, "600m", "600m", 0.5, Map.of("network", "dense(10)"),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(progress, true, StandardCharsets.UTF_8),
        true).run(List.of(20_000L), List.of(2));

    JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals("scale", line.get("benchmark").asText());
    assertEquals(20_000, line.get("samples").asLong());
    assertEquals(2, line.get("executors").asInt());
    assertEquals("dense(10)", line.get("network").asText());
    assertTrue(line.get("driver_live_peak_mb").asDouble() > 10, line::toString);
    assertTrue(line.get("driver_live_median_mb").asDouble() <= line.get("driver_live_peak_mb").asDouble(),
        line::toString);
    assertTrue(line.get("driver_used_peak_mb").asDouble() >= line.get("driver_live_peak_mb").asDouble() * 0.9,
        line::toString);
    // Each executor holds its half of 20,000 x 784 floats (60 MB in all) beside Spark's own objects.
    assertEquals(59.8, line.get("data_mb_as_floats").asDouble(), 0.1);
    assertTrue(line.get("executor_live_median_max_mb").asDouble() > 30, line::toString);
    assertTrue(line.get("executor_live_peak_mean_mb").asDouble() > 30, line::toString);
    assertTrue(line.get("executor_live_peak_mb").asDouble() < 600, line::toString);
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("20,000 samples on 2 executors"),
        progress::toString);
    assertTrue(Files.exists(work.resolve("run-20000-2/output/result/metrics.json")));
  }

  @Test
  void badSizesAreRefusedBeforeAnythingRuns() throws Exception {
    ConfigException memory = assertThrows(ConfigException.class, () -> new ScaleBenchmark(work, "lots", "1g", 5,
        Map.of(), System.out, System.err, true));
    assertTrue(memory.getMessage().contains("--driver-memory takes a size such as 1g"), memory.getMessage());
    ConfigException executors = assertThrows(ConfigException.class, () -> new ScaleBenchmark(work, "1g", "1g", 5,
        Map.of(), System.out, System.err, true).run(List.of(1000L), List.of(0)));
    assertTrue(executors.getMessage().contains("--executors takes counts of at least 1"), executors.getMessage());
    try (var left = Files.list(work)) {
      assertEquals(0, left.count(), "nothing written");
    }
  }
}
