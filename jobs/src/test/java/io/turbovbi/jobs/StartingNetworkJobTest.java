package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.compress.OnnxImport;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.spark.ml.CompressedNetworkModel;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compress job started from a CNN trained in PyTorch (the pipeline module's test fixture, made by
 * pipeline/tools/make_onnx_fixture.py): it compresses that network, and the ONNX file it writes computes what the
 * saved Spark ML model computes.
 */
class StartingNetworkJobTest {
  /** The fixture, from this module's folder (Maven runs tests there). */
  static final Path FIXTURE = Path.of("../pipeline/src/test/resources/io/turbovbi/compress/pytorch-cnn-bn.onnx");

  @TempDir
  static Path temp;
  private static Path data;

  @BeforeAll
  static void writeData() throws Exception {
    data = temp.resolve("data");
    TestRuns.writeIdx(data);
  }

  @Test
  void aPyTorchCnnIsCompressedAndItsOnnxGivesTheModelsOutputs() throws Exception {
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve("run").toString());
    settings.remove("network");
    settings.put("network.initial", FIXTURE.toAbsolutePath().toString());
    settings.put("turbo.target.compression", "8");
    // No warm-up: the first row of the history is the starting network itself, before any training here.
    settings.put("turbo.warmup.epochs", "0");
    settings.put("cluster.master", "local[2]");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(0, outcome.status(), outcome.out());
    Path result = temp.resolve("run/result");
    String metrics = Files.readString(result.resolve("metrics.json"));
    assertTrue(metrics.contains("conv(8,5) relu maxpool(2) conv(16,5)"), metrics);
    String[] start = Files.readAllLines(result.resolve("history.csv")).get(1).split(",");
    assertEquals("0", start[0]);
    double startAccuracy = Double.parseDouble(start[4]);
    assertTrue(startAccuracy > 0.75, "validation accuracy of the imported network " + startAccuracy);

    CompressedNetworkModel.ModelData model = CompressedNetworkModel.readData(new Configuration(),
        result.resolve("model").toString());
    TestRuns.withLocalSpark(spark -> {
      CompressedNetworkModel saved = CompressedNetworkModel.load(result.resolve("model").toString());
      assertEquals(8.0, saved.getTargetCompression(), "the model records the settings it was made with");
      assertEquals(FIXTURE.toAbsolutePath().toString(), saved.getInitialNetwork());
      assertEquals("pixel / 255", saved.getInputScaling());
    });
    byte[] onnx = Files.readAllBytes(result.resolve("model.onnx"));
    OnnxImport.Imported written = OnnxImport.read(onnx);
    assertEquals(model.description(), written.network().spec().toString());
    assertEquals("1x28x28", written.metadata().get(OnnxImport.INPUT_SHAPE_KEY));

    LabeledSamples test = BuiltInSample.test().head(300);
    float[] expected = new float[test.size() * 10];
    try (GradientEngine engine = new GradientEngine(model.network(), 1, test.size())) {
      engine.predict(model.params(), test.features(), 0, test.size(), expected);
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    double worst = 0;
    try (OrtSession session = environment.createSession(onnx);
         OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(test.features()),
             new long[] {test.size(), 784});
         OrtSession.Result run = session.run(Map.of("input", input))) {
      float[][] logits = (float[][]) run.get("logits").get().getValue();
      for (int i = 0; i < test.size(); i++) {
        for (int j = 0; j < 10; j++) {
          worst = Math.max(worst, Math.abs(logits[i][j] - expected[i * 10 + j]));
        }
      }
    }
    assertTrue(worst < 1e-4, "largest difference between ONNX Runtime and the engine " + worst);
    MeanNetwork compressed = new MeanNetwork(NetworkSpec.parse(model.description()), model.network(),
        model.params());
    long kept = java.util.Arrays.stream(compressed.nonZeros()).mapToLong(mask -> {
      long n = 0;
      for (boolean on : mask) {
        n += on ? 1 : 0;
      }
      return n;
    }).sum();
    long original = 8 * 25 + 16 * 8 * 25 + 256 * 64 + 64 * 10;
    assertTrue(kept <= Math.ceil(original / 8.0), kept + " of " + original + " weights kept for a target of 8x");
  }
}
