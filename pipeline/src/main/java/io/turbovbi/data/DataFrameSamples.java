package io.turbovbi.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Reads the labelled samples of a Spark data frame with a column of features (an
 * {@code org.apache.spark.ml.linalg.Vector}, the layout Spark ML estimators take, or an array of numbers) and a
 * numeric column of labels, row by row where the rows are: {@code io.turbovbi.spark.train.SampleSource} checks the schema
 * with it on the driver and converts each row with it on the executor that reads the row.
 *
 * <p>Checks, each an {@link InvalidDataException}: both columns present (the message lists the columns found),
 * the features column a vector (dense or sparse) or an array of numbers and the label column numeric; then, row by
 * row, no nulls, size equal to {@code shape.size()}, labels integral and in {@code [0, numClasses)}, features
 * finite. Messages name the data and the row as the caller names it (the sample's id). Immutable and serializable
 * (it travels to the executors); the {@code with...} methods return modified copies.
 */
public final class DataFrameSamples implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default name of the features column, as in Spark ML. */
  public static final String DEFAULT_FEATURES_COL = "features";
  /** Default name of the label column, as in Spark ML. */
  public static final String DEFAULT_LABEL_COL = "label";

  private final ImageShape shape;
  private final int numClasses;
  private final String featuresCol;
  private final String labelCol;

  private DataFrameSamples(ImageShape shape, int numClasses, String featuresCol, String labelCol) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
    }
    this.shape = Objects.requireNonNull(shape, "shape");
    this.numClasses = numClasses;
    this.featuresCol = requireName(featuresCol, "features column");
    this.labelCol = requireName(labelCol, "label column");
  }

  /** A converter for columns {@code features} and {@code label}, samples of {@code shape}, labels below numClasses. */
  public static DataFrameSamples of(ImageShape shape, int numClasses) {
    return new DataFrameSamples(shape, numClasses, DEFAULT_FEATURES_COL, DEFAULT_LABEL_COL);
  }

  /** The same converter reading the features from column {@code name}. */
  public DataFrameSamples withFeaturesCol(String name) {
    return new DataFrameSamples(shape, numClasses, name, labelCol);
  }

  /** The same converter reading the labels from column {@code name}. */
  public DataFrameSamples withLabelCol(String name) {
    return new DataFrameSamples(shape, numClasses, featuresCol, name);
  }

  /** Shape of one sample. */
  public ImageShape shape() {
    return shape;
  }

  /** Number of classes. */
  public int numClasses() {
    return numClasses;
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
    boolean numberArray = featuresType instanceof ArrayType array && array.elementType() instanceof NumericType;
    if (!featuresType.equals(SQLDataTypes.VectorType()) && !numberArray) {
      String hint = featuresType instanceof UserDefinedType<?> udt
          && udt.userClass().getName().startsWith("org.apache.spark.mllib.")
          ? " (an old org.apache.spark.mllib vector: convert it with MLUtils.convertVectorColumnsToML)" : "";
      throw InvalidDataException.in(source, "column '" + featuresCol + "' has type " + featuresType.simpleString()
          + ", expected a vector (org.apache.spark.ml.linalg.Vector) or an array of numbers" + hint);
    }
    StructField labelField = schema.apply(labelCol);
    if (!(labelField.dataType() instanceof NumericType)) {
      throw InvalidDataException.in(source, "column '" + labelCol + "' has type "
          + labelField.dataType().simpleString() + ", expected a numeric type");
    }
  }

  /**
   * The checked label in column {@code column} of a row.
   *
   * @param where the row in error messages (e.g. "sample 17")
   */
  public int label(Row row, int column, String source, String where) {
    if (row.isNullAt(column)) {
      throw rowError(source, where, "label is null");
    }
    double value = ((Number) row.get(column)).doubleValue();
    if (!Double.isFinite(value) || value != Math.rint(value)) {
      throw rowError(source, where, "label " + value + " is not an integer");
    }
    if (value < 0 || value >= numClasses) {
      throw rowError(source, where, "label " + (long) value + " is outside [0, " + numClasses + ")");
    }
    return (int) value;
  }

  /**
   * Copies the checked features in column {@code column} of a row (a vector or an array of numbers) into
   * {@code dest} from {@code offset}; entries a sparse vector leaves out are not written (zero in a fresh array).
   */
  public void copyFeatures(Row row, int column, String source, String where, float[] dest, int offset) {
    if (row.isNullAt(column)) {
      throw rowError(source, where, "feature vector is null");
    }
    Object value = row.get(column);
    if (!(value instanceof Vector)) {
      copyArray(row.getList(column), source, where, dest, offset);
      return;
    }
    Vector vector = (Vector) value;
    requireSize(vector.size(), source, where);
    if (vector instanceof DenseVector dense) {
      double[] values = dense.values();
      for (int j = 0; j < values.length; j++) {
        dest[offset + j] = finite(values[j], j, where, source);
      }
    } else if (vector instanceof SparseVector sparse) {
      int[] indices = sparse.indices();
      double[] values = sparse.values();
      for (int k = 0; k < indices.length; k++) {
        dest[offset + indices[k]] = finite(values[k], indices[k], where, source);
      }
    } else {
      throw rowError(source, where, "unsupported vector class " + vector.getClass().getName());
    }
  }

  private void copyArray(List<Object> values, String source, String where, float[] dest, int offset) {
    requireSize(values.size(), source, where);
    for (int j = 0; j < values.size(); j++) {
      Object entry = values.get(j);
      if (entry == null) {
        throw rowError(source, where, "feature " + j + " is null");
      }
      dest[offset + j] = finite(((Number) entry).doubleValue(), j, where, source);
    }
  }

  private void requireSize(int size, String source, String where) {
    if (size != shape.size()) {
      throw rowError(source, where, "feature vector has size " + size + ", expected " + shape.size()
          + " (shape " + shape + ")");
    }
  }

  private static float finite(double value, int feature, String where, String source) {
    float f = (float) value;
    if (!Float.isFinite(f)) {
      throw rowError(source, where, "feature " + feature + " is " + value
          + (Double.isFinite(value) ? " (too large for a float)" : "") + "; features must be finite");
    }
    return f;
  }

  private static InvalidDataException rowError(String source, String where, String problem) {
    return new InvalidDataException(source + ", " + where + ": " + problem);
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be empty");
    }
    return name;
  }
}
