package io.turbovbi.jobs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.spark.ml.CompressedNetworkModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference benchmark on a saved pruned model: every variant measured, reported as JSON lines. */
class InferenceBenchmarkTest {
  private static final String NETWORK = "conv(6,5) relu maxpool(2) flatten dense(12) relu dense(10)";

  @TempDir
  Path folder;

  @Test
  void measuresTheDenseNetworkAndTheModelInDenseLayersAndInItsChosenKernels() throws Exception {
    String model = folder.resolve("model").toString();
    SparkSession spark = SparkSession.builder().master("local[1]").appName("inference-benchmark-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      CompressedNetworkModel.of(prunedNetwork(), Map.of("original_description", NETWORK)).save(model);
    } finally {
      spark.stop();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new InferenceBenchmark(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 0.05)
        .run("pruned=" + model, 3);

    List<JsonNode> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      lines.add(json.readTree(line));
    }
    assertEquals(List.of("dense", "dense layers", "best kernels"),
        lines.stream().map(line -> line.get("variant").asText()).toList());
    assertEquals(List.of("", "pruned", "pruned"), lines.stream().map(line -> line.get("model").asText()).toList());
    for (JsonNode line : lines) {
      assertEquals("inference", line.get("benchmark").asText());
      assertEquals(NETWORK, line.get("network").asText());
      assertEquals(3, line.get("batch").asInt());
      assertTrue(line.get("samples_per_s").asDouble() > 0, line.toString());
    }
    // the compressed variants run the network after unit removal, which is smaller than the one it came from
    String compressed = lines.get(1).get("compressed").asText();
    assertTrue(compressed.startsWith("input(1x28x28) conv(1->6, 5x5) relu maxpool(2) flatten dense(864->"),
        compressed);
    // one kernel per weight layer, each one of those the benchmark measures
    List<String> kernels = List.of(lines.get(2).get("kernels").asText().split(" / "));
    assertEquals(3, kernels.size(), lines.get(2).toString());
    assertTrue(kernels.get(0).matches("gemm-(dense|csr|bcsr4x1|bcsr4x4|segments) \\(\\d+ of 25 columns\\)|direct"),
        kernels.get(0));
    for (String kernel : kernels.subList(1, 3)) {
      assertTrue(List.of("dense", "csr", "bcsr4x1", "bcsr4x4", "segments").contains(kernel), kernel);
    }
  }

  /** The network with four weights in five set to zero. */
  private static MeanNetwork prunedNetwork() {
    NetworkSpec spec = NetworkSpec.parse(NETWORK);
    Network network = spec.build(1, 28, 28, 10, LayerFactory.DETERMINISTIC);
    float[] params = network.initialParameters(1);
    SplittableRandom random = new SplittableRandom(2);
    for (ParamBlock block : network.blocks()) {
      if (block.kind() == ParamKind.WEIGHT) {
        for (int i = block.offset(); i < block.end(); i++) {
          params[i] = random.nextDouble() < 0.8 ? 0f : params[i];
        }
      }
    }
    return new MeanNetwork(spec, network, params);
  }
}
