package io.turbovbi.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.DivergenceException;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.output.OutputException;
import io.turbovbi.output.OutputLock;
import io.turbovbi.output.RunOutput;
import io.turbovbi.spark.train.FaultInjection;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimator with an output location runs the compress job's path ({@link CompressionRun}): it writes the job's
 * outputs, resumes a stopped run to the uninterrupted run's model, and refuses a location it cannot use before
 * writing anything there.
 */
class CompressionRunTest {
  /** Weights of dense(16) relu dense(10) on 784 inputs. */
  private static final int WEIGHTS = 784 * 16 + 16 * 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Dataset<Row> train;
  /** The uninterrupted run, written to {@code temp/whole}. */
  private static CompressedNetworkModel whole;

  @TempDir
  static Path temp;

  @BeforeAll
  static void uninterruptedRun() {
    spark = SparkSession.builder().master("local[2]").appName("compression-run-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    train = frame(BuiltInSample.train().head(1000));
    whole = quick().setOutputPath(temp.resolve("whole").toString()).fit(train);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Images (pixels / 255) as a vector column "features" and a column "label". */
  private static Dataset<Row> frame(LabeledSamples samples) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      float[] row = samples.row(i);
      double[] values = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        values[j] = row[j];
      }
      rows.add(RowFactory.create(Vectors.dense(values), (double) samples.label(i)));
    }
    return spark.createDataFrame(rows, new StructType().add("features", new VectorUDT())
        .add("label", DataTypes.DoubleType));
  }

  /** Three warm-up epochs, two ramp iterations to 4x, two epochs of fine-tuning: a few seconds. */
  private static TurboVbiCompressor quick() {
    return new TurboVbiCompressor().setNetwork("dense(16) relu dense(10)").setWarmUpEpochs(3).setRamp(2).setHold(0)
        .setFineTuneEpochs(2).setBatchSize(64).setPriorBbar(1e-5).setValidationSize(200).setTargetCompression(4);
  }

  private static long nonZeroWeights(CompressedNetworkModel model) {
    Network network = model.data().network();
    long n = 0;
    for (int layer : network.weightLayers()) {
      ParamBlock block = network.block(layer, ParamKind.WEIGHT);
      for (int i = block.offset(); i < block.end(); i++) {
        n += model.data().params()[i] != 0f ? 1 : 0;
      }
    }
    return n;
  }

  private static List<String> names(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theEstimatorWritesTheModelOnnxMetricsHistoryAndReportOfItsRun() throws Exception {
    Path result = temp.resolve("whole/result");
    CompressedNetworkModel saved = CompressedNetworkModel.load(result.resolve("model").toString());
    assertArrayEquals(whole.data().params(), saved.data().params(), "the saved model is the fitted one");
    assertEquals(4.0, saved.getTargetCompression(), "the saved model carries the params");

    JsonNode metrics = JSON.readTree(result.resolve("metrics.json").toFile());
    assertEquals(WEIGHTS, metrics.path("weights").asLong());
    assertEquals((double) WEIGHTS / nonZeroWeights(whole), metrics.path("compression_after_removal").asDouble(),
        1e-5 * WEIGHTS, "metrics.json gives the model's compression");
    assertEquals(whole.data().network().describe(), metrics.path("compressed_network").asText());
    assertEquals(1000, metrics.path("data").path("train").asInt() + metrics.path("data").path("validation").asInt(),
        "every row is a training or a validation sample");
    assertEquals(2, metrics.path("iterations").asInt());

    List<String> history = Files.readAllLines(result.resolve("history.csv"));
    assertEquals(4, history.size(), "header, warm-up and the two ramp iterations");
    assertTrue(history.get(0).startsWith("iteration,epochs,loss,kl,validation_accuracy"), history.get(0));
    String report = Files.readString(result.resolve("report.html"));
    assertTrue(report.startsWith("<!DOCTYPE html>") && report.contains("turbovbi compress: "), report.substring(0,
        200));

    Dataset<Row> test = frame(BuiltInSample.test().head(100));
    List<Row> predicted = whole.transform(test).select("probability").collectAsList();
    float[] features = BuiltInSample.test().head(100).features();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession session = environment.createSession(result.resolve("model.onnx").toString());
         OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features), new long[] {100, 784});
         OrtSession.Result onnx = session.run(Map.of("input", input))) {
      float[][] probability = (float[][]) onnx.get("probability").get().getValue();
      for (int i = 0; i < 100; i++) {
        double[] spark = ((Vector) predicted.get(i).get(0)).toArray();
        for (int j = 0; j < 10; j++) {
          assertEquals(spark[j], probability[i][j], 1e-4, "image " + i + ", class " + j);
        }
      }
    }
    assertEquals(List.of("iteration-0001", "iteration-0002"), names(temp.resolve("whole/checkpoints")),
        "a checkpoint after every outer iteration, the newest two kept");
    assertTrue(Files.exists(temp.resolve("whole/" + RunOutput.MARKER)));
    assertFalse(Files.exists(temp.resolve("whole/" + OutputLock.NAME)), "the lock is released");
  }

  @Test
  void aRunThatStoppedAfterACheckpointResumesToTheUninterruptedRunsModel() throws Exception {
    String output = temp.resolve("stopped").toString();
    System.setProperty(FaultInjection.DIVERGE_IN_ITERATION, "2");
    try {
      DivergenceException e = assertThrows(DivergenceException.class,
          () -> quick().setOutputPath(output).fit(train));
      assertTrue(e.getMessage().contains("the last checkpoint is that of iteration 1"), e.getMessage());
    } finally {
      System.clearProperty(FaultInjection.DIVERGE_IN_ITERATION);
    }
    assertFalse(Files.exists(temp.resolve("stopped/result")), "a stopped run writes no result");
    assertEquals(List.of("iteration-0000", "iteration-0001"), names(temp.resolve("stopped/checkpoints")));
    OutputException changed = assertThrows(OutputException.class,
        () -> quick().setOutputPath(output).setResume(true).setSeed(2).fit(train));
    assertTrue(changed.getMessage().startsWith("resume=true: seed is '2' but the checkpoints in "),
        changed.getMessage());

    CompressedNetworkModel resumed = quick().setOutputPath(output).setResume(true).fit(train);
    double worst = 0;
    for (int i = 0; i < whole.data().params().length; i++) {
      worst = Math.max(worst, Math.abs(whole.data().params()[i] - resumed.data().params()[i]));
    }
    assertTrue(worst < 1e-5, "the resumed run's model differs from the uninterrupted one's by " + worst);
    assertEquals(whole.data().description(), resumed.data().description());
    assertTrue(Files.exists(temp.resolve("stopped/result/model.onnx")));

    CompressedNetworkModel again = quick().setOutputPath(output).setResume(true).fit(train);
    assertArrayEquals(resumed.data().params(), again.data().params(), "a complete run gives its saved model");
  }

  @Test
  void anOutputLocationThatCannotBeUsedIsRefusedBeforeAnythingIsWrittenThere() throws Exception {
    Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
    OutputException notAFolder = assertThrows(OutputException.class,
        () -> quick().setOutputPath(file.toString()).fit(train));
    assertTrue(notAFolder.getMessage().endsWith("is a file, not a directory"), notAFolder.getMessage());
    assertEquals("not a directory", Files.readString(file));

    Path foreign = Files.createDirectories(temp.resolve("foreign"));
    Files.writeString(foreign.resolve("precious.txt"), "keep me");
    OutputException notOurs = assertThrows(OutputException.class,
        () -> quick().setOutputPath(foreign.toString()).setOverwrite(true).fit(train));
    assertTrue(notOurs.getMessage().contains("holds no run of turbovbi"), notOurs.getMessage());
    assertEquals(List.of("precious.txt"), names(foreign), "nothing added, nothing removed");

    List<String> before = names(temp.resolve("whole/result"));
    OutputException exists = assertThrows(OutputException.class,
        () -> quick().setOutputPath(temp.resolve("whole").toString()).fit(train));
    assertTrue(exists.getMessage().contains("exists and is not empty: pass overwrite=true to replace it or "
        + "resume=true to continue the run it holds"), exists.getMessage());
    assertEquals(before, names(temp.resolve("whole/result")), "the run's result is as it was");

    OutputException both = assertThrows(OutputException.class,
        () -> quick().setOutputPath(temp.resolve("both").toString()).setOverwrite(true).setResume(true).fit(train));
    assertTrue(both.getMessage().startsWith("overwrite=true and resume=true exclude each other"), both.getMessage());
    assertFalse(Files.exists(temp.resolve("both")));

    OutputException scheme = assertThrows(OutputException.class,
        () -> quick().setOutputPath("nosuchscheme://host/run").fit(train));
    assertTrue(scheme.getMessage().startsWith("cannot use output location nosuchscheme://host/run"),
        scheme.getMessage());
  }
}
