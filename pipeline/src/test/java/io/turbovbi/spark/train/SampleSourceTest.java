package io.turbovbi.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.ImageShape;
import io.turbovbi.data.InvalidDataException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data frame's rows become shards where the executors read them: {@link SampleSource} checks the columns on the
 * driver and every row as it is packed, and its errors name the data and the sample's id.
 */
class SampleSourceTest {
  private static final ImageShape SHAPE = new ImageShape(1, 2, 2);
  private static final DataFrameSamples READER = DataFrameSamples.of(SHAPE, 3);
  private static final String NAME = "test frame";
  private static final int PARTITIONS = 2;

  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    spark = SparkWStepTest.session("local[2]");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Dataset<Row> frame(DataType featuresType, DataType labelType, Row... rows) {
    StructType schema = new StructType().add("features", featuresType).add("label", labelType);
    return spark.createDataFrame(Arrays.asList(rows), schema);
  }

  private static Dataset<Row> vectors(Row... rows) {
    return frame(SQLDataTypes.VectorType(), DataTypes.DoubleType, rows);
  }

  /** Two dense rows and one sparse row. */
  private static Dataset<Row> mixed() {
    return vectors(
        RowFactory.create(Vectors.dense(0.0, 0.25, 0.5, 1.0), 2.0),
        RowFactory.create(Vectors.sparse(4, new int[] {1, 3}, new double[] {-1.5, 4.0}), 0.0),
        RowFactory.create(Vectors.dense(1.0, 2.0, 3.0, 4.0), 1.0));
  }

  /** A sample as its shard holds it. */
  private record Sample(float[] features, int label) {}

  /** Every sample of the frame, by id, packed on the executors into {@link #PARTITIONS} shards. */
  private static Map<Long, Sample> read(Dataset<Row> frame, DataFrameSamples reader) {
    ShardedData data = SampleSource.of(frame, reader, NAME, PARTITIONS).select(SampleSource.Selection.all());
    try {
      assertEquals(PARTITIONS, data.partitions());
      assertEquals(SHAPE, data.shape());
      int dim = SHAPE.size();
      Map<Long, Sample> samples = new HashMap<>();
      for (Shard shard : data.shards().collect()) {
        for (int i = 0; i < shard.size(); i++) {
          samples.put(shard.ids()[i],
              new Sample(Arrays.copyOfRange(shard.features(), i * dim, (i + 1) * dim), shard.labels()[i]));
        }
      }
      assertEquals(data.size(), samples.size(), "every sample once");
      return samples;
    } finally {
      data.release();
    }
  }

  /** The message of the data error that reading the frame raises. */
  private static String refusal(Dataset<Row> frame) {
    return assertThrows(InvalidDataException.class, () -> read(frame, READER)).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }

  private static void assertSample(Sample sample, int label, float... features) {
    assertEquals(label, sample.label());
    assertArrayEquals(features, sample.features());
  }

  /** The samples of {@link #mixed}, numbered by their rows' positions. */
  private static void assertMixed(Map<Long, Sample> samples) {
    assertEquals(3, samples.size());
    assertSample(samples.get(0L), 2, 0f, 0.25f, 0.5f, 1f);
    assertSample(samples.get(1L), 0, 0f, -1.5f, 0f, 4f);
    assertSample(samples.get(2L), 1, 1f, 2f, 3f, 4f);
  }

  @Test
  void denseAndSparseVectorsBecomeRowMajorFeatures() {
    assertMixed(read(mixed(), READER));
  }

  @Test
  void parquetWrittenToDiskReadsBackByPathAndByFileUri() {
    Path out = dir.resolve("mixed.parquet");
    mixed().coalesce(1).write().parquet(out.toString());
    assertMixed(read(spark.read().parquet(out.toString()), READER));
    assertMixed(read(spark.read().parquet(out.toUri().toString()), READER));
  }

  @Test
  void integerLabelColumnIsAccepted() {
    Dataset<Row> df = frame(SQLDataTypes.VectorType(), DataTypes.IntegerType,
        RowFactory.create(Vectors.dense(1, 2, 3, 4), 2));
    assertSample(read(df, READER).get(0L), 2, 1, 2, 3, 4);
  }

  @Test
  void configuredColumnNamesAreUsed() {
    Dataset<Row> df = mixed().withColumnRenamed("features", "pixels").withColumnRenamed("label", "y");
    assertMixed(read(df, READER.withFeaturesCol("pixels").withLabelCol("y")));
  }

  @Test
  void missingFeaturesColumnListsTheColumnsFound() {
    assertContains(refusal(mixed().withColumnRenamed("features", "pixels")), NAME, "no column 'features'",
        "columns found: [pixels, label]");
  }

  @Test
  void missingLabelColumnListsTheColumnsFound() {
    assertContains(refusal(mixed().withColumnRenamed("label", "class")), NAME, "no column 'label'",
        "columns found: [features, class]");
  }

  @Test
  void featuresMayBeAnArrayOfNumbers() {
    Dataset<Row> df = frame(DataTypes.createArrayType(DataTypes.DoubleType), DataTypes.DoubleType,
        RowFactory.create(new double[] {1, 2, 3, 4}, 1.0), RowFactory.create(new double[] {0, 0.5, 0, 8}, 2.0));
    Map<Long, Sample> samples = read(df, READER);
    assertSample(samples.get(0L), 1, 1, 2, 3, 4);
    assertSample(samples.get(1L), 2, 0, 0.5f, 0, 8);
  }

  @Test
  void featuresThatAreNeitherAVectorNorNumbersAreRejectedWithTheirType() {
    Dataset<Row> df = frame(DataTypes.StringType, DataTypes.DoubleType, RowFactory.create("1 2 3 4", 1.0));
    assertContains(refusal(df), NAME, "column 'features' has type string", "expected a vector",
        "or an array of numbers");
  }

  @Test
  void nonNumericLabelIsRejectedWithItsType() {
    Dataset<Row> df = frame(SQLDataTypes.VectorType(), DataTypes.StringType,
        RowFactory.create(Vectors.dense(1, 2, 3, 4), "coat"));
    assertContains(refusal(df), NAME, "column 'label' has type string", "expected a numeric type");
  }

  @Test
  void vectorOfTheWrongSizeNamesSampleAndSizes() {
    Dataset<Row> df = vectors(
        RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.0),
        RowFactory.create(Vectors.sparse(5, new int[] {0}, new double[] {1}), 1.0));
    assertContains(refusal(df), NAME, "sample 1", "size 5, expected 4", "1x2x2");
  }

  @Test
  void arrayOfTheWrongSizeNamesSampleAndSizes() {
    Dataset<Row> df = frame(DataTypes.createArrayType(DataTypes.DoubleType), DataTypes.DoubleType,
        RowFactory.create(new double[] {1, 2, 3}, 1.0));
    assertContains(refusal(df), NAME, "sample 0", "size 3, expected 4");
  }

  @Test
  void labelOutOfRangeNamesTheIdOfTheIdColumn() {
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(42L, Vectors.dense(1, 2, 3, 4), 3.0)),
        new StructType().add(SampleSource.ID_COL, DataTypes.LongType).add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType));
    assertContains(refusal(df), NAME, "sample 42", "label 3 is outside [0, 3)");
  }

  @Test
  void nonIntegralLabelIsRejected() {
    assertContains(refusal(vectors(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.5))), NAME, "sample 0",
        "label 0.5 is not an integer");
  }

  @Test
  void nullLabelIsRejected() {
    assertContains(refusal(vectors(RowFactory.create(Vectors.dense(1, 2, 3, 4), null))), NAME, "sample 0",
        "label is null");
  }

  @Test
  void nullFeaturesAreRejected() {
    assertContains(refusal(vectors(RowFactory.create(null, 1.0))), NAME, "sample 0", "feature vector is null");
    Dataset<Row> df = frame(DataTypes.createArrayType(DataTypes.DoubleType), DataTypes.DoubleType,
        RowFactory.create(new Double[] {1.0, null, 3.0, 4.0}, 1.0));
    assertContains(refusal(df), NAME, "sample 0", "feature 1 is null");
  }

  @Test
  void nanFeatureNamesSampleAndFeature() {
    Dataset<Row> df = vectors(
        RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.0),
        RowFactory.create(Vectors.sparse(4, new int[] {2}, new double[] {Double.NaN}), 1.0));
    assertContains(refusal(df), NAME, "sample 1", "feature 2 is NaN");
  }

  @Test
  void infiniteFeatureIsRejected() {
    assertContains(refusal(vectors(RowFactory.create(Vectors.dense(1, Double.POSITIVE_INFINITY, 3, 4), 1.0))),
        NAME, "sample 0", "feature 1 is Infinity");
  }

  @Test
  void emptyFrameIsRejected() {
    assertContains(refusal(mixed().limit(0)), NAME, "the data set is empty (0 rows)");
  }

  @Test
  void selectionWithoutSamplesIsRejectedAsEmpty() {
    SampleSource source = SampleSource.of(mixed(), READER, NAME, PARTITIONS);
    String message = assertThrows(InvalidDataException.class,
        () -> source.select(SampleSource.Selection.validation(1, 0))).getMessage();
    assertContains(message, NAME, "the data set is empty (0 samples)");
  }
}
