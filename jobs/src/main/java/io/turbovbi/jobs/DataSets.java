package io.turbovbi.jobs;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.IdxReader;
import io.turbovbi.data.ImageShape;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.data.LibSvmReader;
import io.turbovbi.data.ValidationSplit;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The training, validation and test sets a configuration names. The validation set is carved from the training data
 * by a seeded shuffle; the test set is read only when a job asks for it.
 */
public final class DataSets {
  private final Config config;
  private final Configuration hadoop;
  private final Supplier<SparkSession> spark;

  public DataSets(Config config, Configuration hadoop, Supplier<SparkSession> spark) {
    this.config = config;
    this.hadoop = hadoop;
    this.spark = spark;
  }

  public ImageShape shape() {
    return config.text(ConfigKeys.DATA_FORMAT).equals("builtin") ? BuiltInSample.SHAPE
        : ImageShape.parse(config.required(ConfigKeys.DATA_SHAPE));
  }

  public int classes() {
    return config.text(ConfigKeys.DATA_FORMAT).equals("builtin") ? BuiltInSample.NUM_CLASSES
        : config.integer(ConfigKeys.DATA_CLASSES);
  }

  /** Training data split into (train, validation). */
  public ValidationSplit trainAndValidation() {
    LabeledSamples all = read(ConfigKeys.DATA_TRAIN, ConfigKeys.DATA_TRAIN_LABELS, true);
    int validation = config.integer(ConfigKeys.DATA_VALIDATION);
    if (validation >= all.size()) {
      throw new ConfigException(ConfigKeys.DATA_VALIDATION.name() + " = " + validation + " leaves no training data: "
          + "the training set has " + all.size() + " samples");
    }
    ValidationSplit split = ValidationSplit.of(all, validation, config.longValue(ConfigKeys.SEED));
    int limit = config.integer(ConfigKeys.DATA_TRAIN_LIMIT);
    if (limit == 0 || limit >= split.train().size()) {
      return split;
    }
    return new ValidationSplit(split.train().head(limit), split.validation());
  }

  public LabeledSamples test() {
    return read(ConfigKeys.DATA_TEST, ConfigKeys.DATA_TEST_LABELS, false);
  }

  /**
   * The most feature values a data set may hold: a quarter of the heap as floats, since the driver keeps the data
   * set, its train/validation split and the packed shards at once. A header or file that promises more is refused
   * before anything of its size is allocated; a larger heap (spark.driver.memory, -Xmx) raises the limit.
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
      case "parquet" -> DataFrameSamples.of(shape(), classes()).withMaxValues(maxValues())
          .readParquet(spark.get(), config.required(path));
      default -> throw new IllegalStateException(format);
    };
  }
}
