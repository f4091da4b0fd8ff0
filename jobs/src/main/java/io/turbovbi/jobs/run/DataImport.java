package io.turbovbi.jobs.run;

import io.turbovbi.data.ImageShape;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.spark.train.SampleFrames;
import io.turbovbi.spark.train.SampleSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Writes data sets as Parquet of the layout the jobs read ({@code id}, {@code features} as an array of floats,
 * {@code label}): IDX files read on the driver, converted once, and synthetic data of any size made by the executors.
 * Each folder is written beside its final place and renamed into it, so a location holds a whole data set or none.
 */
final class DataImport {
  private DataImport() {}

  /** Writes the samples to {@code location} unless a completed import is already there (a resumed run's). */
  static void parquetOnce(SparkSession spark, LabeledSamples samples, String location, Configuration hadoop) {
    if (exists(location, hadoop)) {
      return;
    }
    spark.sparkContext().setJobDescription("turbovbi: import " + samples.size() + " samples into " + location);
    write(SampleFrames.of(spark, samples, spark.sparkContext().defaultParallelism()), location, hadoop);
  }

  /**
   * Writes {@code samples} synthetic samples of the given shape in {@code partitions} files, made on the executors:
   * sample i has label hash(i) mod classes and pixels hash(i, j) mod 200 / 255, raised by 55 / 255 on every
   * {@code classes}-th pixel from its label on, so that a network can learn the classes.
   */
  static void synthetic(SparkSession spark, long samples, ImageShape shape, int classes, long seed, int partitions,
                        String location, Configuration hadoop) {
    spark.sparkContext().setJobDescription("turbovbi: write " + samples + " synthetic samples to " + location);
    Dataset<Row> frame = spark.range(0, samples, 1, partitions)
        .withColumn("label", functions.pmod(functions.xxhash64(functions.col(SampleSource.ID_COL),
            functions.lit(seed)), functions.lit(classes)).cast(DataTypes.IntegerType))
        .withColumn("features", functions.expr(String.format(Locale.ROOT, "transform(sequence(0, %d), j -> cast("
            + "(pmod(xxhash64(id, j, %dL), 200) + if(pmod(j, %d) = label, 55, 0)) / 255.0 as float))",
            shape.size() - 1, seed, classes)))
        .select(SampleSource.ID_COL, "features", "label");
    write(frame, location, hadoop);
  }

  /** Whether a completed data set is at {@code location}. */
  static boolean exists(String location, Configuration hadoop) {
    try {
      Path path = new Path(location);
      return path.getFileSystem(hadoop).exists(new Path(path, "_SUCCESS"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at " + location + ": " + e.getMessage(), e);
    }
  }

  /** Deletes what is at {@code location}, if anything. */
  static void delete(String location, Configuration hadoop) {
    try {
      Path path = new Path(location);
      path.getFileSystem(hadoop).delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + location + ": " + e.getMessage(), e);
    }
  }

  private static void write(Dataset<Row> frame, String location, Configuration hadoop) {
    Path target = new Path(location);
    Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    frame.write().parquet(temporary.toString());
    try {
      FileSystem fs = target.getFileSystem(hadoop);
      if (fs.exists(target)) {
        throw new IOException(location + " already exists");
      }
      if (!fs.rename(temporary, target)) {
        throw new IOException("cannot rename " + temporary + " to " + target);
      }
    } catch (IOException e) {
      delete(temporary.toString(), hadoop);
      throw new UncheckedIOException("cannot write " + location + ": " + e.getMessage(), e);
    }
  }
}
