package io.turbovbi.jobs.run;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.IdxReader;
import io.turbovbi.data.ImageShape;
import io.turbovbi.data.InvalidDataException;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.data.LibSvmReader;
import io.turbovbi.data.ValidationSplit;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.config.ConfigKey;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.spark.train.SampleSource;
import io.turbovbi.spark.train.ShardedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The training, validation and test sets a configuration names: in this JVM's memory for the single-JVM commands
 * (validation carved by a seeded shuffle), or read by the executors for the Spark jobs ({@link #distributed};
 * validation carved by a seeded hash of each sample's id). The test set is read only when a job asks for it.
 */
public final class DataSets {
  private final Config config;
  private final Configuration hadoop;

  public DataSets(Config config, Configuration hadoop) {
    this.config = config;
    this.hadoop = hadoop;
  }

  public ImageShape shape() {
    return config.text(ConfigKeys.DATA_FORMAT).equals("builtin") ? BuiltInSample.SHAPE
        : ImageShape.parse(config.required(ConfigKeys.DATA_SHAPE));
  }

  public int classes() {
    return config.text(ConfigKeys.DATA_FORMAT).equals("builtin") ? BuiltInSample.NUM_CLASSES
        : config.integer(ConfigKeys.DATA_CLASSES);
  }

  /** Training data split into (train, validation), in this JVM. */
  public ValidationSplit trainAndValidation() {
    LabeledSamples all = trainAndValidationSource();
    int validation = config.integer(ConfigKeys.DATA_VALIDATION);
    if (validation >= all.size()) {
      throw leavesNoTrainingData(validation, all.size());
    }
    ValidationSplit split = ValidationSplit.of(all, validation, config.longValue(ConfigKeys.SEED));
    int limit = config.integer(ConfigKeys.DATA_TRAIN_LIMIT);
    if (limit == 0 || limit >= split.train().size()) {
      return split;
    }
    return new ValidationSplit(split.train().head(limit), split.validation());
  }

  private static ConfigException leavesNoTrainingData(int validation, long samples) {
    return new ConfigException(ConfigKeys.DATA_VALIDATION.name() + " = " + validation + " leaves no training data: "
        + "the training set has " + samples + " samples");
  }

  /** The whole training data (before any split), in this JVM. */
  public LabeledSamples trainAndValidationSource() {
    return read(ConfigKeys.DATA_TRAIN, ConfigKeys.DATA_TRAIN_LABELS, true);
  }

  public LabeledSamples test() {
    return read(ConfigKeys.DATA_TEST, ConfigKeys.DATA_TEST_LABELS, false);
  }

  /**
   * IDX files (one gzip stream cannot be split between executors) and the built-in sample, read whole on the driver
   * and checked, to be imported into Parquet ({@link #distributed}) that the executors then read: rows built from
   * the driver's memory would travel inside every task that reads them, every round. Null for the other formats,
   * which the executors read themselves.
   */
  public DriverSamples readOnDriver() {
    String format = config.text(ConfigKeys.DATA_FORMAT);
    if (!format.equals("idx") && !format.equals("builtin")) {
      return null;
    }
    return new DriverSamples(read(ConfigKeys.DATA_TRAIN, ConfigKeys.DATA_TRAIN_LABELS, true),
        config.flag(ConfigKeys.DATA_TEST_EVALUATE) ? test() : null);
  }

  /** Training and (null if not evaluated) test samples read on the driver, held there until they are imported. */
  public record DriverSamples(LabeledSamples train, LabeledSamples test) {}

  /** The sets on the executors; {@code test} is null when the job does not evaluate it. */
  public record Distributed(ShardedData train, ShardedData validation, ShardedData test) {
    void release() {
      train.release();
      validation.release();
      if (test != null) {
        test.release();
      }
    }
  }

  /**
   * The training, validation and test sets read by the executors and packed there, in {@code partitions}
   * partitions. Parquet and LibSVM (Spark's own sources) are read where they are; the built-in sample and IDX files
   * (already read by {@link #readOnDriver}, imported as Parquet into {@code importLocation} unless a completed
   * import is there) go through the same path.
   *
   * @throws InvalidDataException naming the data and the sample when something read is wrong
   */
  public Distributed distributed(SparkSession spark, int partitions, DriverSamples onDriver, String importLocation) {
    try {
      return read(spark, partitions, onDriver, importLocation);
    } catch (InvalidDataException | ConfigException e) {
      throw e;
    } catch (Exception e) {
      // Spark's own readers fail inside a task (a LibSVM line that does not parse, a damaged Parquet file): the
      // cause, not Spark's "job aborted", says what is wrong.
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      String data = config.text(ConfigKeys.DATA_FORMAT).equals("builtin") ? "the built-in sample"
          : config.required(ConfigKeys.DATA_TRAIN);
      throw new InvalidDataException(data + ": cannot read it as " + config.text(ConfigKeys.DATA_FORMAT) + ": "
          + cause.getClass().getSimpleName() + ": " + cause.getMessage(), e);
    }
  }

  private Distributed read(SparkSession spark, int partitions, DriverSamples onDriver, String importLocation) {
    boolean evaluate = config.flag(ConfigKeys.DATA_TEST_EVALUATE);
    SampleSource source = source(spark, partitions, true, onDriver, importLocation);
    int validation = config.integer(ConfigKeys.DATA_VALIDATION);
    if (validation >= source.count()) {
      throw leavesNoTrainingData(validation, source.count());
    }
    long seed = config.longValue(ConfigKeys.SEED);
    double heldOut = (double) validation / source.count();
    int limit = config.integer(ConfigKeys.DATA_TRAIN_LIMIT);
    double kept = limit == 0 ? 1 : Math.min(1, limit / (source.count() * (1 - heldOut)));
    spark.sparkContext().setJobDescription("turbovbi: read, check and pack the training data");
    ShardedData train = source.select(SampleSource.Selection.training(seed, heldOut, kept));
    spark.sparkContext().setJobDescription("turbovbi: read, check and pack the validation data");
    ShardedData held = source.select(SampleSource.Selection.validation(seed, heldOut));
    ShardedData test = null;
    if (evaluate) {
      spark.sparkContext().setJobDescription("turbovbi: read, check and pack the test data");
      test = source(spark, partitions, false, onDriver, importLocation).select(SampleSource.Selection.all());
    }
    return new Distributed(train, held, test);
  }

  private SampleSource source(SparkSession spark, int partitions, boolean training, DriverSamples onDriver,
                              String importLocation) {
    ConfigKey pathKey = training ? ConfigKeys.DATA_TRAIN : ConfigKeys.DATA_TEST;
    DataFrameSamples reader = DataFrameSamples.of(shape(), classes());
    String format = config.text(ConfigKeys.DATA_FORMAT);
    String name = format.equals("builtin") ? "the built-in sample" : config.required(pathKey);
    Dataset<Row> frame = switch (format) {
      case "builtin", "idx" -> {
        String location = importLocation + (training ? "/train" : "/test");
        DataImport.parquetOnce(spark, training ? onDriver.train() : onDriver.test(), location, hadoop);
        yield spark.read().parquet(location);
      }
      case "parquet" -> spark.read().parquet(existing(name));
      // Lines longer than a sample of shape().size() features can be are skipped by Hadoop's line reader, not held.
      case "libsvm" -> spark.read().format("libsvm").option("numFeatures", shape().size())
          .option("mapreduce.input.linerecordreader.line.maxlength",
              Math.min(Integer.MAX_VALUE, LibSvmReader.maxLineLength(shape().size())))
          .load(existing(name));
      default -> throw new IllegalStateException(format);
    };
    return SampleSource.of(frame, reader, name, partitions);
  }

  private String existing(String path) {
    boolean exists;
    try {
      Path location = new Path(path);
      exists = location.getFileSystem(hadoop).exists(location);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot check whether it exists: " + e.getMessage(), e);
    }
    if (!exists) {
      throw new InvalidDataException(path + ": no such file or directory");
    }
    return path;
  }

  /**
   * The most feature values a data set read on the driver may hold: a quarter of the heap as floats, since the
   * driver keeps the data set, its train/validation split and a copy at once. A header or file that promises more is
   * refused before anything of its size is allocated; a larger heap (spark.driver.memory, -Xmx) raises the limit.
   */
  private static long maxValues() {
    return Runtime.getRuntime().maxMemory() / 4 / Float.BYTES;
  }

  private LabeledSamples read(ConfigKey path, ConfigKey labels, boolean training) {
    String format = config.text(ConfigKeys.DATA_FORMAT);
    return switch (format) {
      case "builtin" -> training ? BuiltInSample.train() : BuiltInSample.test();
      case "idx" -> IdxReader.forClasses(classes()).withExpectedShape(shape()).withHadoopConfiguration(hadoop)
          .withMaxPixels(maxValues()).read(config.required(path), config.required(labels));
      case "libsvm" -> LibSvmReader.of(shape(), classes()).withHadoopConfiguration(hadoop)
          .withMaxValues(maxValues()).read(config.required(path));
      case "parquet" -> throw new ConfigException("data.format = parquet needs Spark: use the compress job");
      default -> throw new IllegalStateException(format);
    };
  }
}
