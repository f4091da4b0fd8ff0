package io.turbovbi.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compressed network as a Spark ML model: same predictions as the engine, save and load, bad folders refused. */
class CompressedNetworkModelTest {
  private static SparkSession spark;
  private static MeanNetwork network;
  private static float[][] inputs;

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("model-test").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    NetworkSpec spec = NetworkSpec.parse("conv(3,3) relu maxpool(2) flatten dense(4)");
    Network net = spec.build(1, 6, 6, 4, LayerFactory.DETERMINISTIC);
    float[] params = net.initialParameters(3);
    for (int i = 0; i < params.length; i += 3) {
      params[i] = 0f;
    }
    network = new MeanNetwork(spec, net, params);
    SplittableRandom random = new SplittableRandom(4);
    inputs = new float[20][36];
    for (float[] row : inputs) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) random.nextDouble();
      }
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> frame() {
    List<Row> rows = new ArrayList<>();
    for (float[] input : inputs) {
      double[] values = new double[input.length];
      for (int j = 0; j < values.length; j++) {
        values[j] = input[j];
      }
      rows.add(RowFactory.create(Vectors.dense(values)));
    }
    StructType schema = new StructType().add("features", new VectorUDT());
    return spark.createDataFrame(rows, schema);
  }

  private static float[] engineLogits() {
    float[] flat = new float[inputs.length * 36];
    for (int i = 0; i < inputs.length; i++) {
      System.arraycopy(inputs[i], 0, flat, i * 36, 36);
    }
    float[] logits = new float[inputs.length * 4];
    try (GradientEngine engine = new GradientEngine(network.network(), 1, 32)) {
      engine.predict(network.params(), flat, 0, inputs.length, logits);
    }
    return logits;
  }

  private static void assertPredictsLikeTheEngine(CompressedNetworkModel model) {
    List<Row> out = model.transform(frame()).select("rawPrediction", "probability", "prediction").collectAsList();
    float[] logits = engineLogits();
    for (int i = 0; i < out.size(); i++) {
      double[] raw = ((Vector) out.get(i).get(0)).toArray();
      double[] probability = ((Vector) out.get(i).get(1)).toArray();
      int best = 0;
      for (int j = 0; j < 4; j++) {
        assertEquals(logits[i * 4 + j], raw[j], 1e-5, "row " + i);
        best = logits[i * 4 + j] > logits[i * 4 + best] ? j : best;
      }
      assertEquals(1.0, java.util.Arrays.stream(probability).sum(), 1e-9);
      assertEquals(best, out.get(i).getDouble(2), "row " + i);
    }
  }

  @Test
  void transformGivesTheEnginesPredictionsAndProbabilities() {
    CompressedNetworkModel model = CompressedNetworkModel.of(network, Map.of("method", "test"));
    assertPredictsLikeTheEngine(model);
    assertTrue(model.toString().contains("conv(1->3, 3x3)"), model.toString());
  }

  @Test
  void aSavedModelLoadsWithItsParamsAndPredictsTheSame() throws Exception {
    CompressedNetworkModel model = CompressedNetworkModel.of(network, Map.of("method", "test"));
    model.setPredictionCol("label_guess");
    String path = temp.resolve("model").toString();
    model.write().save(path);
    CompressedNetworkModel loaded = CompressedNetworkModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals("label_guess", loaded.getPredictionCol());
    assertEquals("test", loaded.data().provenance().get("method"));
    assertArrayEquals(network.params(), loaded.data().params());
    loaded.setPredictionCol("prediction");
    assertPredictsLikeTheEngine(loaded);
    assertThrows(Exception.class, () -> model.write().save(path), "an existing model is not overwritten");
    model.write().overwrite().save(path);
    CompressedNetworkModel overwritten = CompressedNetworkModel.load(path);
    assertArrayEquals(network.params(), overwritten.data().params());
    assertEquals("label_guess", overwritten.getPredictionCol());
  }

  @Test
  void aTruncatedModelIsRefused() throws Exception {
    Path path = temp.resolve("truncated");
    CompressedNetworkModel.of(network, Map.of()).write().save(path.toString());
    Path params = path.resolve("data/params.bin");
    byte[] bytes = Files.readAllBytes(params);
    Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompressedNetworkModel.load(path.toString()));
    assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
  }

  @Test
  void aModelSavedUnderTheFormerPackageNameStillLoads() throws Exception {
    Path path = temp.resolve("former-package");
    CompressedNetworkModel.of(network, Map.of()).write().save(path.toString());
    Path metadata = path.resolve("metadata/part-00000");
    String line = Files.readString(metadata);
    String current = "\"class\":\"io.turbovbi.spark.ml.CompressedNetworkModel\"";
    assertTrue(line.contains(current), line);
    Files.writeString(metadata, line.replace(current, "\"class\":\"io.turbovbi.spark.CompressedNetworkModel\""),
        StandardCharsets.UTF_8);
    Files.deleteIfExists(path.resolve("metadata/.part-00000.crc"));
    CompressedNetworkModel loaded = CompressedNetworkModel.load(path.toString());
    assertArrayEquals(network.params(), loaded.data().params());
  }

  @Test
  void aModelOfAnotherFormatVersionIsRefused() throws Exception {
    Path path = temp.resolve("future");
    CompressedNetworkModel.of(network, Map.of()).write().save(path.toString());
    Path metadata = path.resolve("metadata/part-00000");
    String line = Files.readString(metadata);
    assertTrue(line.contains("\"turbovbiFormatVersion\":2"), line);
    Files.writeString(metadata, line.replace("\"turbovbiFormatVersion\":2", "\"turbovbiFormatVersion\":7"),
        StandardCharsets.UTF_8);
    // Hadoop's local file system keeps a checksum beside each file; another writer would have written its own.
    Files.deleteIfExists(path.resolve("metadata/.part-00000.crc"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompressedNetworkModel.load(path.toString()));
    assertTrue(e.getMessage().contains("saved in CompressedNetworkModel format 7; this version reads format 2"),
        e.getMessage());
  }

  @Test
  void theSavedFolderIsSparksParamsLayoutWithTheInputContract() throws Exception {
    Path path = temp.resolve("layout");
    CompressedNetworkModel.of(network, Map.of()).write().save(path.toString());
    DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path.toString(), spark,
        CompressedNetworkModel.class.getName());
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(metadata.metadataJson());
    assertEquals("1x6x6", json.path("paramMap").path("imageShape").asText(), metadata.metadataJson());
    assertEquals("[1,6,6]", json.path("input").toString());
    assertTrue(Files.exists(path.resolve("data/params.bin")));
    CompressedNetworkModel loaded = DefaultParamsReader.loadParamsInstance(path.toString(), spark);
    assertArrayEquals(network.params(), loaded.data().params());
    assertEquals(4, loaded.getClasses());
  }

  @Test
  void aDataFrameWithTheWrongVectorSizeGetsAClearError() {
    CompressedNetworkModel model = CompressedNetworkModel.of(network, Map.of()).setInputScaling("pixel / 255");
    List<Row> rows = List.of(RowFactory.create(Vectors.dense(new double[35])));
    Dataset<Row> frame = spark.createDataFrame(rows, new StructType().add("features", new VectorUDT()));
    Exception e = assertThrows(Exception.class, () -> model.transform(frame).collectAsList());
    String expected = "column 'features' holds vectors of 35 values, but the model expects 36 features (images of "
        + "1x6x6, pixel / 255)";
    Throwable cause = e;
    while (cause != null && (cause.getMessage() == null || !cause.getMessage().contains(expected))) {
      cause = cause.getCause();
    }
    assertTrue(cause != null, "no cause says: " + expected + "; got " + e);
    // A column that records its size is refused before any row is read.
    Dataset<Row> sized = new org.apache.spark.ml.feature.VectorSizeHint().setInputCol("features").setSize(35)
        .transform(frame);
    IllegalArgumentException early = assertThrows(IllegalArgumentException.class, () -> model.transform(sized));
    assertTrue(early.getMessage().contains(expected), early.getMessage());
  }

  @Test
  void theInputContractTravelsWithTheModelAndItsOnnxFile() throws Exception {
    String[] labels = {"a", "b", "c", "d"};
    CompressedNetworkModel model = CompressedNetworkModel.of(network, Map.of()).setInputScaling("pixel / 255")
        .setClassLabels(labels);
    String path = temp.resolve("contract").toString();
    model.write().save(path);
    CompressedNetworkModel loaded = CompressedNetworkModel.load(path);
    assertEquals("pixel / 255", loaded.getInputScaling());
    assertArrayEquals(labels, loaded.getClassLabels());
    assertEquals("1x6x6", loaded.getImageShape().toString());
    Map<String, String> onnx = io.turbovbi.compress.OnnxImport.read(io.turbovbi.compress.OnnxExport.toBytes(
        network, "test", loaded.onnxMetadata())).metadata();
    assertEquals("1x6x6", onnx.get(io.turbovbi.compress.OnnxImport.INPUT_SHAPE_KEY));
    assertEquals("pixel / 255", onnx.get("turbovbi.input_scaling"));
    assertEquals("a,b,c,d", onnx.get("turbovbi.class_labels"));
    assertThrows(IllegalArgumentException.class, () -> model.setClassLabels("a", "b"));

    Path metadata = temp.resolve("contract/metadata/part-00000");
    Files.writeString(metadata, Files.readString(metadata).replace("\"imageShape\":\"1x6x6\"",
        "\"imageShape\":\"1x7x7\""), StandardCharsets.UTF_8);
    Files.deleteIfExists(temp.resolve("contract/metadata/.part-00000.crc"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompressedNetworkModel.load(path));
    assertTrue(e.getMessage().contains("input contract (imageShape 1x7x7"), e.getMessage());
  }

  @Test
  void aFolderWithoutAModelIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompressedNetworkModel.load(temp.toString()));
    assertTrue(e.getMessage().contains("holds no saved CompressedNetworkModel"), e.getMessage());
  }
}
