package io.turbovbi.jobs.run;

import io.turbovbi.data.LabeledSamples;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.output.JsonLine;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The data commands: {@code import} converts IDX files once into Parquet that the Spark jobs read where it lies, and
 * {@code synthetic} writes a synthetic Parquet training set of any size for scale tests.
 */
public final class DataJob {
  private final Config config;
  private final PrintStream out;
  private final boolean json;
  private final Configuration hadoop;

  public DataJob(Config config, PrintStream out, boolean json) {
    this.config = config;
    this.out = out;
    this.json = json;
    this.hadoop = SparkSetup.hadoopConfiguration(config);
  }

  /** Imports data.train (and data.test, if set) into {@code to}/train and {@code to}/test. */
  public void importIdx(String to) {
    if (!config.text(ConfigKeys.DATA_FORMAT).equals("idx")) {
      throw new ConfigException("import reads IDX files (data.format=idx), not " + config.text(ConfigKeys.DATA_FORMAT)
          + ": Parquet and LibSVM are read by the executors as they are");
    }
    DataSets data = new DataSets(config, hadoop);
    for (String part : config.text(ConfigKeys.DATA_TEST) == null ? new String[] {"train"}
        : new String[] {"train", "test"}) {
      String location = to + "/" + part;
      if (DataImport.exists(location, hadoop)) {
        throw new ConfigException(location + " already holds a data set: import into another folder");
      }
    }
    SparkSession spark = SparkSetup.session(config, "turbovbi import");
    try {
      LabeledSamples train = data.trainAndValidationSource();
      write(spark, train, to + "/train");
      if (config.text(ConfigKeys.DATA_TEST) != null) {
        write(spark, data.test(), to + "/test");
      }
    } finally {
      spark.stop();
    }
  }

  private void write(SparkSession spark, LabeledSamples samples, String location) {
    DataImport.parquetOnce(spark, samples, location, hadoop);
    say(String.format(Locale.ROOT, "imported %,d samples of %s into %s", samples.size(), samples.shape(), location),
        new JsonLine().put("event", "imported").put("samples", samples.size()).put("output", location));
  }

  /** Writes {@code samples} synthetic samples of data.shape and data.classes into {@code to}. */
  public void synthetic(long samples, int partitions, String to) {
    if (samples < 1 || partitions < 1) {
      throw new ConfigException("--samples and --partitions must be positive, got " + samples + " and "
          + partitions);
    }
    if (DataImport.exists(to, hadoop)) {
      throw new ConfigException(to + " already holds a data set: write into another folder");
    }
    DataSets data = new DataSets(config, hadoop);
    SparkSession spark = SparkSetup.session(config, "turbovbi synthetic");
    try {
      long start = System.nanoTime();
      DataImport.synthetic(spark, samples, data.shape(), data.classes(), config.longValue(ConfigKeys.SEED),
          partitions, to, hadoop);
      double gigabytes = samples * (double) data.shape().size() * Float.BYTES / 1e9;
      say(String.format(Locale.ROOT, "wrote %,d synthetic samples of %s (%.2f GB as floats) into %s in %.0f s",
              samples, data.shape(), gigabytes, to, (System.nanoTime() - start) / 1e9),
          new JsonLine().put("event", "synthetic").put("samples", samples).put("gigabytes_as_floats", gigabytes)
              .put("output", to));
    } finally {
      spark.stop();
    }
  }

  private void say(String text, JsonLine line) {
    out.println(json ? line.toString() : text);
  }
}
