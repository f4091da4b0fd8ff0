package io.turbovbi.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Turns a Spark data frame with a vector column of features and a numeric column of labels (the layout Spark ML
 * estimators take) into {@link LabeledSamples}, collected to the driver.
 *
 * <p>Checks, each an {@link InvalidDataException}: both columns present (the message lists the columns found),
 * the features column an {@code org.apache.spark.ml.linalg.Vector} (dense or sparse) and the label column
 * numeric; then, row by row, no nulls, vector size equal to {@code shape.size()}, labels integral and in
 * {@code [0, numClasses)}, features finite. Row numbers in messages count from 0 in the order the rows are
 * collected. Immutable; the {@code with...} methods return modified copies.
 */
public final class DataFrameSamples {

  /** Default name of the features column, as in Spark ML. */
  public static final String DEFAULT_FEATURES_COL = "features";
  /** Default name of the label column, as in Spark ML. */
  public static final String DEFAULT_LABEL_COL = "label";
  /** Largest Java array length that every JVM allocates. */
  private static final long NO_LIMIT = Integer.MAX_VALUE - 8;

  private final ImageShape shape;
  private final int numClasses;
  private final String featuresCol;
  private final String labelCol;
  /** Most feature values to collect (rows x features); {@link #NO_LIMIT}: as many as one array holds. */
  private final long maxValues;

  private DataFrameSamples(ImageShape shape, int numClasses, String featuresCol, String labelCol, long maxValues) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
    }
    this.shape = Objects.requireNonNull(shape, "shape");
    this.numClasses = numClasses;
    this.featuresCol = requireName(featuresCol, "features column");
    this.labelCol = requireName(labelCol, "label column");
    this.maxValues = maxValues;
  }

  /** A converter for columns {@code features} and {@code label}, samples of {@code shape}, labels below numClasses. */
  public static DataFrameSamples of(ImageShape shape, int numClasses) {
    return new DataFrameSamples(shape, numClasses, DEFAULT_FEATURES_COL, DEFAULT_LABEL_COL, NO_LIMIT);
  }

  /** The same converter reading the features from column {@code name}. */
  public DataFrameSamples withFeaturesCol(String name) {
    return new DataFrameSamples(shape, numClasses, name, labelCol, maxValues);
  }

  /** The same converter reading the labels from column {@code name}. */
  public DataFrameSamples withLabelCol(String name) {
    return new DataFrameSamples(shape, numClasses, featuresCol, name, maxValues);
  }

  /**
   * The same converter, counting the rows first (one Spark job) and refusing to collect more than
   * {@code maxValues} feature values to the driver.
   */
  public DataFrameSamples withMaxValues(long maxValues) {
    if (maxValues <= 0) {
      throw new IllegalArgumentException("the value limit must be positive, got " + maxValues);
    }
    return new DataFrameSamples(shape, numClasses, featuresCol, labelCol, Math.min(maxValues, NO_LIMIT));
  }

  /** Name of the features column. */
  public String featuresCol() {
    return featuresCol;
  }

  /** Name of the label column. */
  public String labelCol() {
    return labelCol;
  }

  /**
   * Checks the columns without reading any row: both present, features a Spark ML vector, label numeric.
   *
   * @param source name of the data in error messages
   * @throws InvalidDataException if a column is missing or has the wrong type
   */
  public void checkSchema(StructType schema, String source) {
    List<String> found = Arrays.asList(schema.fieldNames());
    for (String column : List.of(featuresCol, labelCol)) {
      if (!found.contains(column)) {
        throw InvalidDataException.in(source, "no column '" + column + "'; columns found: " + found);
      }
    }
    DataType featuresType = schema.apply(featuresCol).dataType();
    if (!featuresType.equals(SQLDataTypes.VectorType())) {
      String hint = featuresType instanceof UserDefinedType<?> udt
          && udt.userClass().getName().startsWith("org.apache.spark.mllib.")
          ? " (an old org.apache.spark.mllib vector: convert it with MLUtils.convertVectorColumnsToML)" : "";
      throw InvalidDataException.in(source, "column '" + featuresCol + "' has type " + featuresType.simpleString()
          + ", expected a vector (org.apache.spark.ml.linalg.Vector)" + hint);
    }
    StructField labelField = schema.apply(labelCol);
    if (!(labelField.dataType() instanceof NumericType)) {
      throw InvalidDataException.in(source, "column '" + labelCol + "' has type "
          + labelField.dataType().simpleString() + ", expected a numeric type");
    }
  }

  /** {@link #collect(Dataset, String)} with the source called "data frame" in messages. */
  public LabeledSamples collect(Dataset<Row> data) {
    return collect(data, "data frame");
  }

  /**
   * Collects the two columns to the driver and checks every row.
   *
   * @param source name of the data in error messages (e.g. the path it was read from)
   * @throws InvalidDataException if a check fails; the message names the row and what is wrong
   */
  public LabeledSamples collect(Dataset<Row> data, String source) {
    checkSchema(data.schema(), source);
    if (maxValues < NO_LIMIT) {
      long count = data.count();
      if (count * shape.size() > maxValues) {
        throw InvalidDataException.in(source, count + " rows of " + shape.size() + " features are more than the "
            + "memory available takes (" + maxValues + " values): give the driver more memory");
      }
    }
    List<Row> rows = data.select(featuresCol, labelCol).collectAsList();
    if (rows.isEmpty()) {
      throw InvalidDataException.in(source, "the data set is empty (0 rows)");
    }
    int dim = shape.size();
    float[] features = new float[Math.multiplyExact(rows.size(), dim)];
    int[] labels = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      labels[i] = label(row, i, source);
      copyFeatures(row, i, source, features, i * dim);
    }
    return new LabeledSamples(features, labels, shape, numClasses);
  }

  /**
   * Reads Parquet (a file or a directory of part files, any Hadoop-FileSystem path) and collects it.
   *
   * @throws InvalidDataException if nothing exists at {@code path} or a check of {@link #collect} fails
   */
  public LabeledSamples readParquet(SparkSession spark, String path) {
    if (!HadoopFiles.exists(path, spark.sparkContext().hadoopConfiguration())) {
      throw InvalidDataException.in(path, "no such file or directory");
    }
    return collect(spark.read().parquet(path), path);
  }

  private int label(Row row, int i, String source) {
    if (row.isNullAt(1)) {
      throw rowError(source, i, "label is null");
    }
    double value = ((Number) row.get(1)).doubleValue();
    if (!Double.isFinite(value) || value != Math.rint(value)) {
      throw rowError(source, i, "label " + value + " is not an integer");
    }
    if (value < 0 || value >= numClasses) {
      throw rowError(source, i, "label " + (long) value + " is outside [0, " + numClasses + ")");
    }
    return (int) value;
  }

  private void copyFeatures(Row row, int i, String source, float[] dest, int offset) {
    if (row.isNullAt(0)) {
      throw rowError(source, i, "feature vector is null");
    }
    Vector vector = (Vector) row.get(0);
    if (vector.size() != shape.size()) {
      throw rowError(source, i, "feature vector has size " + vector.size() + ", expected " + shape.size()
          + " (shape " + shape + ")");
    }
    if (vector instanceof DenseVector dense) {
      double[] values = dense.values();
      for (int j = 0; j < values.length; j++) {
        dest[offset + j] = finite(values[j], j, i, source);
      }
    } else if (vector instanceof SparseVector sparse) {
      int[] indices = sparse.indices();
      double[] values = sparse.values();
      for (int k = 0; k < indices.length; k++) {
        dest[offset + indices[k]] = finite(values[k], indices[k], i, source);
      }
    } else {
      throw rowError(source, i, "unsupported vector class " + vector.getClass().getName());
    }
  }

  private static float finite(double value, int feature, int row, String source) {
    float f = (float) value;
    if (!Float.isFinite(f)) {
      throw rowError(source, row, "feature " + feature + " is " + value
          + (Double.isFinite(value) ? " (too large for a float)" : "") + "; features must be finite");
    }
    return f;
  }

  private static InvalidDataException rowError(String source, int row, String problem) {
    return new InvalidDataException(source + ", row " + row + ": " + problem);
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be empty");
    }
    return name;
  }
}
