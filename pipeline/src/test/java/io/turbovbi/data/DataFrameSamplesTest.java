package io.turbovbi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFrameSamplesTest {

  private static final ImageShape SHAPE = new ImageShape(1, 2, 2);
  private static final DataFrameSamples CONVERTER = DataFrameSamples.of(SHAPE, 3);

  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[1]")
        .appName("DataFrameSamplesTest")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static StructType schema(String featuresCol, DataType featuresType, String labelCol, DataType labelType) {
    return new StructType(new StructField[] {
        new StructField(featuresCol, featuresType, true, Metadata.empty()),
        new StructField(labelCol, labelType, true, Metadata.empty())});
  }

  private static Dataset<Row> frame(Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows),
        schema("features", SQLDataTypes.VectorType(), "label", DataTypes.DoubleType));
  }

  /** Two dense rows and one sparse row. */
  private static Dataset<Row> mixed() {
    return frame(
        RowFactory.create(Vectors.dense(0.0, 0.25, 0.5, 1.0), 2.0),
        RowFactory.create(Vectors.sparse(4, new int[] {1, 3}, new double[] {-1.5, 4.0}), 0.0),
        RowFactory.create(Vectors.dense(1.0, 2.0, 3.0, 4.0), 1.0));
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }

  private static void assertMixed(LabeledSamples data) {
    assertEquals(3, data.size());
    assertEquals(SHAPE, data.shape());
    assertArrayEquals(new int[] {2, 0, 1}, data.labels());
    assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 1f}, data.row(0));
    assertArrayEquals(new float[] {0f, -1.5f, 0f, 4f}, data.row(1));
    assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, data.row(2));
  }

  @Test
  void denseAndSparseVectorsBecomeRowMajorFeatures() {
    assertMixed(CONVERTER.collect(mixed()));
  }

  @Test
  void moreValuesThanTheLimitAreRefusedBeforeCollecting() {
    InvalidDataException e = assertThrows(InvalidDataException.class,
        () -> CONVERTER.withMaxValues(11).collect(mixed(), "mixed"));
    assertContains(e.getMessage(), "mixed", "3 rows of 4 features are more than the memory available takes (11");
    assertMixed(CONVERTER.withMaxValues(12).collect(mixed()));
  }

  @Test
  void parquetWrittenToDiskReadsBackByPathAndByFileUri() {
    Path out = dir.resolve("mixed.parquet");
    mixed().coalesce(1).write().parquet(out.toString());
    assertMixed(CONVERTER.readParquet(spark, out.toString()));
    assertMixed(CONVERTER.readParquet(spark, out.toUri().toString()));
  }

  @Test
  void missingParquetPathSaysNoSuchFile() {
    String missing = dir.resolve("absent.parquet").toString();
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.readParquet(spark, missing))
        .getMessage();
    assertContains(message, "absent.parquet", "no such file or directory");
  }

  @Test
  void integerLabelColumnIsAccepted() {
    Dataset<Row> df = spark.createDataFrame(
        List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), 2)),
        schema("features", SQLDataTypes.VectorType(), "label", DataTypes.IntegerType));
    assertArrayEquals(new int[] {2}, CONVERTER.collect(df).labels());
  }

  @Test
  void configuredColumnNamesAreUsed() {
    Dataset<Row> df = mixed().withColumnRenamed("features", "pixels").withColumnRenamed("label", "y");
    LabeledSamples data = CONVERTER.withFeaturesCol("pixels").withLabelCol("y").collect(df);
    assertMixed(data);
  }

  @Test
  void missingFeaturesColumnListsTheColumnsFound() {
    Dataset<Row> df = mixed().withColumnRenamed("features", "pixels");
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df, "my-frame"))
        .getMessage();
    assertContains(message, "my-frame", "no column 'features'", "columns found: [pixels, label]");
  }

  @Test
  void missingLabelColumnListsTheColumnsFound() {
    Dataset<Row> df = mixed().withColumnRenamed("label", "class");
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "no column 'label'", "columns found: [features, class]");
  }

  @Test
  void featuresMayBeAnArrayOfNumbers() {
    Dataset<Row> df = spark.createDataFrame(
        List.of(RowFactory.create(new double[] {1, 2, 3, 4}, 1.0), RowFactory.create(new double[] {0, 0.5, 0, 8}, 2.0)),
        schema("features", DataTypes.createArrayType(DataTypes.DoubleType), "label", DataTypes.DoubleType));
    LabeledSamples data = CONVERTER.collect(df);
    assertArrayEquals(new float[] {1, 2, 3, 4}, data.row(0));
    assertArrayEquals(new float[] {0, 0.5f, 0, 8}, data.row(1));
    assertEquals(2, data.label(1));
  }

  @Test
  void featuresThatAreNeitherAVectorNorNumbersAreRejectedWithTheirType() {
    Dataset<Row> df = spark.createDataFrame(
        List.of(RowFactory.create("1 2 3 4", 1.0)),
        schema("features", DataTypes.StringType, "label", DataTypes.DoubleType));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "column 'features' has type string", "expected a vector", "or an array of numbers");
  }

  @Test
  void nonNumericLabelIsRejectedWithItsType() {
    Dataset<Row> df = spark.createDataFrame(
        List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), "coat")),
        schema("features", SQLDataTypes.VectorType(), "label", DataTypes.StringType));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "column 'label' has type string", "expected a numeric type");
  }

  @Test
  void vectorOfTheWrongSizeNamesRowAndSizes() {
    Dataset<Row> df = frame(
        RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.0),
        RowFactory.create(Vectors.sparse(5, new int[] {0}, new double[] {1}), 1.0));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "row 1", "size 5, expected 4", "1x2x2");
  }

  @Test
  void labelOutOfRangeNamesRowAndValue() {
    Dataset<Row> df = frame(RowFactory.create(Vectors.dense(1, 2, 3, 4), 3.0));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "row 0", "label 3 is outside [0, 3)");
  }

  @Test
  void nonIntegralLabelIsRejected() {
    Dataset<Row> df = frame(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.5));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "row 0", "label 0.5 is not an integer");
  }

  @Test
  void nullLabelIsRejected() {
    Dataset<Row> df = frame(RowFactory.create(Vectors.dense(1, 2, 3, 4), null));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "row 0", "label is null");
  }

  @Test
  void nanFeatureNamesRowAndFeature() {
    Dataset<Row> df = frame(
        RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.0),
        RowFactory.create(Vectors.sparse(4, new int[] {2}, new double[] {Double.NaN}), 1.0));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "row 1", "feature 2 is NaN");
  }

  @Test
  void infiniteFeatureIsRejected() {
    Dataset<Row> df = frame(RowFactory.create(Vectors.dense(1, Double.POSITIVE_INFINITY, 3, 4), 1.0));
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(df)).getMessage();
    assertContains(message, "row 0", "feature 1 is Infinity");
  }

  @Test
  void emptyFrameIsRejected() {
    String message = assertThrows(InvalidDataException.class, () -> CONVERTER.collect(mixed().limit(0)))
        .getMessage();
    assertContains(message, "empty");
  }
}
