package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.output.OutputLock;
import io.turbovbi.output.RunOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compress job on an embedded local Spark: outputs, determinism across partitionings, resume. */
class CompressJobTest {
  @TempDir
  static Path temp;
  private static Path data;
  /** The run on local[2] with two partitions, which several tests compare against: made once. */
  private static TestRuns.Outcome reference;

  @BeforeAll
  static void writeData() throws Exception {
    data = temp.resolve("data");
    TestRuns.writeIdx(data);
  }

  private static Map<String, String> run(String name, String master, int partitions) {
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve(name).toString());
    settings.put("cluster.master", master);
    settings.put("cluster.partitions", Integer.toString(partitions));
    return settings;
  }

  private static TestRuns.Outcome reference() {
    if (reference == null) {
      reference = TestRuns.compress(run("reference", "local[2]", 2));
      assertEquals(0, reference.status(), reference.out());
    }
    return reference;
  }

  @Test
  void writesCheckpointAndCompleteResult() throws Exception {
    TestRuns.Outcome outcome = reference();
    Path result = temp.resolve("reference/result");
    for (String file : List.of("metrics.json", "history.csv", "variational/params.npy", "variational/network.json",
        "mask/layer-1.npy", "mask/layer-2.npy", "pit/layer-1.npy", "model/metadata/part-00000", "model/data/params.bin")) {
      assertTrue(Files.size(result.resolve(file)) > 0, file);
    }
    List<String> history = Files.readAllLines(result.resolve("history.csv"));
    assertEquals(5, history.size(), "header, warm-up and 3 iterations");
    assertTrue(history.get(0).startsWith("iteration,epochs,loss,kl,validation_accuracy,validation_accuracy_unmasked,"
        + "compression,compression_after_removal,flops,offset,guard_tripped,active_share_1"));
    double finalCompression = Double.parseDouble(history.get(4).split(",")[7]);
    assertEquals(4.0, finalCompression, 0.02 * 4.0, "the controller meets turbo.target.compression=4");
    String metrics = Files.readString(result.resolve("metrics.json"));
    assertTrue(metrics.contains("\"test\": {\"dense\": 0."), metrics);
    assertTrue(metrics.contains("\"fine_tuned\": 0."), metrics);
    assertTrue(metrics.contains("\"tile_occupancy_8\": "), metrics);
    assertTrue(Files.isDirectory(temp.resolve("reference/checkpoints/iteration-0003")));
    try (var listing = Files.list(temp.resolve("reference/checkpoints"))) {
      assertEquals(List.of("iteration-0002", "iteration-0003"), listing.map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith(".")).sorted().toList(), "the newest two checkpoints are kept");
    }
    assertTrue(Files.exists(temp.resolve("reference/" + RunOutput.MARKER)), "the run folder carries the marker");
    assertFalse(Files.exists(temp.resolve("reference/" + OutputLock.NAME)), "the lock is released at the end");
    assertTrue(outcome.out().contains("iter 3"), "progress per outer iteration");
    assertTrue(outcome.out().contains("rounds,"), "progress per epoch with its rounds");
    assertEquals(List.of("1", "1"), beliefPropagationSweeps(history.get(2)), "row chains: one pass per layer");
  }

  @Test
  void methodIidRunsModuleBOffInEveryLayer() throws Exception {
    Map<String, String> settings = run("iid", "local[2]", 2);
    settings.put("method", "iid");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(0, outcome.status(), outcome.out());
    List<String> history = Files.readAllLines(temp.resolve("iid/result/history.csv"));
    for (String row : history.subList(1, history.size())) {
      assertEquals(List.of("0", "0"), beliefPropagationSweeps(row), row);
    }
  }

  @Test
  void magnitudePruningFollowsTheSameScheduleToTheSameSizeAndEpochs() throws Exception {
    Map<String, String> settings = run("magnitude", "local[2]", 2);
    settings.put("method", "magnitude");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(0, outcome.status(), outcome.out());
    List<String> history = Files.readAllLines(temp.resolve("magnitude/result/history.csv"));
    assertEquals(5, history.size(), "header, dense training and the 3 iterations of the schedule");
    double finalCompression = Double.parseDouble(history.get(4).split(",")[7]);
    assertEquals(4.0, finalCompression, 0.02 * 4.0, "gradual magnitude pruning meets the same target");
    String metrics = Files.readString(temp.resolve("magnitude/result/metrics.json"));
    assertTrue(metrics.contains("\"epochs\": {\"warm_up\": 1, \"iterations\": 3, \"fine_tuning\": 5, \"total\": 9}"),
        metrics);
  }

  /** The bp_sweeps_1 and bp_sweeps_2 columns of a history row of the two-layer test network. */
  private static List<String> beliefPropagationSweeps(String row) {
    List<String> cells = List.of(row.split(","));
    return cells.subList(13, 15);
  }

  @Test
  void gradientModeGivesTheSameModelOnOneTwoAndThreePartitions() throws Exception {
    assertEquals(0, TestRuns.compress(run("p1", "local[1]", 1)).status());
    reference();
    assertEquals(0, TestRuns.compress(run("p3", "local[2]", 3)).status());
    float[] one = TestRuns.params(temp.resolve("p1"));
    for (String other : List.of("reference", "p3")) {
      double difference = TestRuns.maxDifference(one, TestRuns.params(temp.resolve(other)));
      assertTrue(difference < 1e-3, other + " differs from local[1] by " + difference);
    }
    assertArrayEquals(TestRuns.firstMask(temp.resolve("p1")), TestRuns.firstMask(temp.resolve("reference")));
  }

  @Test
  void aRunStoppedAfterAnIterationAndResumedEndsLikeAnUninterruptedOne() throws Exception {
    reference();
    Map<String, String> stopped = run("resumed", "local[2]", 2);
    RuntimeException stop = assertThrows(RuntimeException.class, () -> TestRuns.compressWithHook(stopped, false,
        iteration -> {
          if (iteration == 1) {
            throw new IllegalStateException("stopped by the test after iteration 1");
          }
        }));
    assertEquals("stopped by the test after iteration 1", stop.getMessage());
    assertTrue(Files.isDirectory(temp.resolve("resumed/checkpoints/iteration-0001")));
    TestRuns.Outcome resumed = TestRuns.compress(stopped, "--resume");
    assertEquals(0, resumed.status(), resumed.out());
    assertTrue(resumed.out().contains("resuming after iteration 1"), resumed.out());
    double difference = TestRuns.maxDifference(TestRuns.params(temp.resolve("reference")),
        TestRuns.params(temp.resolve("resumed")));
    assertTrue(difference < 1e-5, "resumed run differs by " + difference);
    assertArrayEquals(TestRuns.firstMask(temp.resolve("reference")),
        TestRuns.firstMask(temp.resolve("resumed")));
    TestRuns.Outcome again = TestRuns.compress(stopped, "--resume");
    assertEquals(0, again.status());
    assertTrue(again.out().contains("already complete"), again.out());
  }

  @Test
  void aRunFolderIsNotReplacedWithoutOverwrite() throws Exception {
    reference();
    TestRuns.Outcome outcome = TestRuns.compress(run("reference", "local[1]", 1));
    assertEquals(Launcher.EXIT_USAGE, outcome.status());
    assertTrue(outcome.out().contains("exists and is not empty: pass --overwrite"), outcome.out());
    assertTrue(Files.isDirectory(temp.resolve("reference/result/model")));
  }

  @Test
  void aForeignNonEmptyFolderIsRefusedEvenWithOverwriteAndKeepsItsFiles() throws Exception {
    Path output = temp.resolve("occupied");
    Files.createDirectories(output.resolve("data"));
    Files.writeString(output.resolve("precious.txt"), "keep me");
    Files.writeString(output.resolve("data/part-0"), "and me");
    for (String[] flags : List.of(new String[0], new String[] {"--overwrite"}, new String[] {"--resume"})) {
      TestRuns.Outcome outcome = TestRuns.compress(run("occupied", "local[1]", 1), flags);
      assertEquals(Launcher.EXIT_USAGE, outcome.status(), outcome.out());
      assertTrue(outcome.out().contains("error: output location file:" + output), outcome.out());
      assertTrue(outcome.out().contains("holds no run of turbovbi"), outcome.out());
    }
    assertEquals("keep me", Files.readString(output.resolve("precious.txt")));
    assertEquals("and me", Files.readString(output.resolve("data/part-0")));
    try (var listing = Files.list(output)) {
      assertEquals(2, listing.count(), "nothing added: " + output);
    }
  }

  @Test
  void overwriteAndResumeTogetherAreRefused() {
    TestRuns.Outcome outcome = TestRuns.compress(run("both", "local[1]", 1), "--overwrite", "--resume");
    assertEquals(Launcher.EXIT_USAGE, outcome.status(), outcome.out());
    assertTrue(outcome.out().contains("error: --overwrite and --resume exclude each other"), outcome.out());
    assertFalse(Files.exists(temp.resolve("both")));
  }

  @Test
  void readsParquetTrainingAndTestData() throws Exception {
    Path parquet = temp.resolve("parquet");
    TestRuns.withLocalSpark(spark -> {
      for (String part : List.of("train", "test")) {
        LabeledSamples samples = part.equals("train") ? BuiltInSample.train().head(TestRuns.TRAIN)
            : BuiltInSample.test().head(TestRuns.TEST);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
          float[] row = samples.row(i);
          double[] values = new double[row.length];
          for (int j = 0; j < row.length; j++) {
            values[j] = row[j];
          }
          rows.add(RowFactory.create(Vectors.dense(values), (double) samples.label(i)));
        }
        spark.createDataFrame(rows, new StructType().add("features", new VectorUDT())
            .add("label", DataTypes.DoubleType)).write().parquet(parquet.resolve(part).toString());
      }
    });
    assertParquetRunMatchesReference("from-parquet", parquet, "the Parquet run");
  }

  /** LibSVM text of the samples: label, then index:value (1-based) for every non-zero feature. */
  private static String libSvm(LabeledSamples samples) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < samples.size(); i++) {
      text.append(samples.label(i));
      float[] row = samples.row(i);
      for (int j = 0; j < row.length; j++) {
        if (row[j] != 0) {
          text.append(' ').append(j + 1).append(':').append(row[j]);
        }
      }
      text.append('\n');
    }
    return text.toString();
  }

  @Test
  void readsLibSvmWithSparksSourceToTheIdxRunsModel() throws Exception {
    Path train = Files.writeString(temp.resolve("train.libsvm"), libSvm(BuiltInSample.train().head(TestRuns.TRAIN)));
    Path test = Files.writeString(temp.resolve("test.libsvm"), libSvm(BuiltInSample.test().head(TestRuns.TEST)));
    Map<String, String> settings = run("from-libsvm", "local[2]", 2);
    settings.put("data.format", "libsvm");
    settings.put("data.train", train.toString());
    settings.put("data.test", test.toString());
    settings.remove("data.train.labels");
    settings.remove("data.test.labels");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(0, outcome.status(), outcome.out());
    reference();
    // One file read in order: the ids (line numbers) are the IDX import's (image numbers), so the split, the
    // batches and the model are the same.
    double difference = TestRuns.maxDifference(TestRuns.params(temp.resolve("reference")),
        TestRuns.params(temp.resolve("from-libsvm")));
    assertTrue(difference < 1e-3, "the LibSVM run differs from the IDX run by " + difference);
  }

  @Test
  void importedIdxReadAsParquetGivesTheIdxRunsModel() throws Exception {
    Path imported = temp.resolve("imported");
    Map<String, String> files = run("unused", "local[2]", 2);
    files.keySet().retainAll(List.of("data.format", "data.train", "data.train.labels", "data.test", "data.test.labels",
        "cluster.master"));
    TestRuns.Outcome importing = TestRuns.run("import", files, "--to", imported.toString());
    assertEquals(0, importing.status(), importing.out());
    assertTrue(importing.out().contains("imported 1,500 samples"), importing.out());
    TestRuns.Outcome again = TestRuns.run("import", files, "--to", imported.toString());
    assertEquals(Launcher.EXIT_USAGE, again.status(), "a second import into the same folder is refused");
    assertParquetRunMatchesReference("from-import", imported, "the run on imported Parquet");
  }

  /**
   * Compresses the Parquet folders {@code folder}/train and {@code folder}/test into output {@code name}, with the
   * settings of the IDX reference run otherwise, and asserts the model is the reference's.
   */
  private void assertParquetRunMatchesReference(String name, Path folder, String what) throws Exception {
    Map<String, String> settings = run(name, "local[2]", 2);
    settings.put("data.format", "parquet");
    settings.put("data.train", folder.resolve("train").toString());
    settings.put("data.test", folder.resolve("test").toString());
    settings.remove("data.train.labels");
    settings.remove("data.test.labels");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(0, outcome.status(), outcome.out());
    reference();
    double difference = TestRuns.maxDifference(TestRuns.params(temp.resolve("reference")),
        TestRuns.params(temp.resolve(name)));
    assertTrue(difference < 1e-3, what + " differs from the IDX run by " + difference);
  }
}
