package io.turbovbi.spark.train;

import io.turbovbi.data.LabeledSamples;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Samples in the driver's memory (a file only the driver can read, the built-in sample) as a data frame of the
 * layout the jobs read: {@code id} (long, the sample's index), {@code features} (array of floats) and {@code label}
 * (int). The samples travel to the executors in chunks inside the tasks that build the rows.
 */
public final class SampleFrames {
  /** The layout of the frames: id, features, label. */
  public static final StructType SCHEMA = new StructType()
      .add(SampleSource.ID_COL, DataTypes.LongType, false)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("label", DataTypes.IntegerType, false);
  private static final int CHUNK_ROWS = 2048;

  private SampleFrames() {}

  /** The samples as a frame in about {@code partitions} partitions. */
  public static Dataset<Row> of(SparkSession spark, LabeledSamples samples, int partitions) {
    int dim = samples.dim();
    List<Chunk> chunks = new ArrayList<>();
    for (int from = 0; from < samples.size(); from += CHUNK_ROWS) {
      int to = Math.min(samples.size(), from + CHUNK_ROWS);
      chunks.add(new Chunk(from, Arrays.copyOfRange(samples.features(), from * dim, to * dim),
          Arrays.copyOfRange(samples.labels(), from, to)));
    }
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(chunks, Math.max(1, Math.min(partitions, chunks.size()))).flatMap(Chunk::rows);
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Consecutive samples from {@code firstId} on. */
  record Chunk(long firstId, float[] features, int[] labels) implements Serializable {
    Iterator<Row> rows() {
      int dim = features.length / labels.length;
      List<Row> rows = new ArrayList<>(labels.length);
      for (int i = 0; i < labels.length; i++) {
        rows.add(RowFactory.create(firstId + i, Arrays.copyOfRange(features, i * dim, (i + 1) * dim), labels[i]));
      }
      return rows.iterator();
    }
  }
}
