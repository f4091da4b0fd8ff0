package io.turbovbi.jobs.config;

import static io.turbovbi.jobs.config.ConfigKey.choice;
import static io.turbovbi.jobs.config.ConfigKey.flag;
import static io.turbovbi.jobs.config.ConfigKey.integer;
import static io.turbovbi.jobs.config.ConfigKey.real;
import static io.turbovbi.jobs.config.ConfigKey.text;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every configuration key the jobs read: the compression settings, each derived from its estimator param
 * ({@link ParamKeys}), then the keys of the jobs alone (data, output, master, the train job), in the order the README
 * lists them.
 */
public final class ConfigKeys {
  private static final double INF = Double.POSITIVE_INFINITY;

  // Compression settings the jobs read by name; every one of ParamKeys is a key.
  public static final ConfigKey NETWORK = ParamKeys.key("network");
  public static final ConfigKey NETWORK_INITIAL = ParamKeys.key("network.initial");
  public static final ConfigKey SEED = ParamKeys.key("seed");
  public static final ConfigKey THREADS = ParamKeys.key("threads");
  public static final ConfigKey DATA_SHAPE = ParamKeys.key("data.shape");
  public static final ConfigKey DATA_CLASSES = ParamKeys.key("data.classes");
  public static final ConfigKey DATA_VALIDATION = ParamKeys.key("data.validation");
  public static final ConfigKey TRAIN_BATCH = ParamKeys.key("train.batch");
  public static final ConfigKey TRAIN_OPTIMIZER = ParamKeys.key("train.optimizer");
  public static final ConfigKey TRAIN_LR = ParamKeys.key("train.lr");
  public static final ConfigKey TRAIN_MOMENTUM = ParamKeys.key("train.momentum");
  public static final ConfigKey LOGVAR_INIT = ParamKeys.key("bayes.logvar.init");
  public static final ConfigKey LOGVAR_CAP = ParamKeys.key("bayes.logvar.cap");
  public static final ConfigKey LOGVAR_LR = ParamKeys.key("bayes.logvar.lr");
  public static final ConfigKey TURBO_RAMP = ParamKeys.key("turbo.ramp");
  public static final ConfigKey TURBO_HOLD = ParamKeys.key("turbo.hold");
  public static final ConfigKey CLUSTER_PARTITIONS = ParamKeys.key("cluster.partitions");
  public static final ConfigKey CLUSTER_TASK_THREADS = ParamKeys.key("cluster.task.threads");

  // Keys of the jobs alone.

  public static final ConfigKey DATA_FORMAT = choice("data.format", "builtin",
      "where the data comes from: the built-in Fashion-MNIST sample, IDX files, LibSVM text or Parquet",
      List.of("builtin", "idx", "libsvm", "parquet"));
  public static final ConfigKey DATA_TRAIN = text("data.train", null,
      "training data: path (local or hdfs://) of the IDX images file, LibSVM file/folder or Parquet folder");
  public static final ConfigKey DATA_TRAIN_LABELS = text("data.train.labels", null,
      "IDX only: path of the training labels file");
  public static final ConfigKey DATA_TRAIN_LIMIT = integer("data.train.limit", "0",
      "train on only this many of the samples left after the validation split, e.g. to see how settings carry to "
          + "a smaller data set (0: all); single JVM: the first ones in file order; compress job: about this many, "
          + "chosen by a seeded hash of their ids", 0, Integer.MAX_VALUE);
  public static final ConfigKey DATA_TEST = text("data.test", null, "test data, as data.train");
  public static final ConfigKey DATA_TEST_LABELS = text("data.test.labels", null,
      "IDX only: path of the test labels file");
  public static final ConfigKey DATA_TEST_EVALUATE = flag("data.test.evaluate", "true",
      "compress job: read the test set at the end; false for tuning runs, which must see only the validation split");
  public static final ConfigKey OUTPUT = text("output", "runs/demo",
      "compress job: output location (local path or hdfs://...) for checkpoints and the result");
  public static final ConfigKey CLUSTER_MASTER = text("cluster.master", "local[*]",
      "Spark master when the job is not started by spark-submit (spark-submit's --master wins)");
  public static final ConfigKey CLUSTER_BATCH = integer("cluster.batch", "0",
      "global mini-batch per round in gradient mode, local mini-batch in average mode (0: train.batch)", 0,
      1_000_000);
  public static final ConfigKey TRAIN_EPOCHS = integer("train.epochs", "5", "training epochs", 1, 1_000_000);
  public static final ConfigKey TRAIN_VARIATIONAL = flag("train.variational", "false",
      "train job: train the variational network (Gaussian posterior per weight) instead of the deterministic one");
  public static final ConfigKey PRIOR_PRECISION = real("bayes.precision", "1",
      "train job: prior precision E[rho] of every weight when a variational net is trained without Turbo-VBI", 0,
      true, INF, true);

  private static final Map<String, ConfigKey> ALL = index(DATA_FORMAT, DATA_TRAIN, DATA_TRAIN_LABELS, DATA_TRAIN_LIMIT,
      DATA_TEST, DATA_TEST_LABELS, DATA_TEST_EVALUATE, OUTPUT, CLUSTER_MASTER, CLUSTER_BATCH, TRAIN_EPOCHS,
      TRAIN_VARIATIONAL, PRIOR_PRECISION);

  /** Keys with this prefix are Spark's own settings, passed to the Spark configuration unchecked. */
  public static final String SPARK_PREFIX = "spark.";

  private ConfigKeys() {}

  /** The compression keys, then the jobs' own. */
  private static Map<String, ConfigKey> index(ConfigKey... jobKeys) {
    Map<String, ConfigKey> map = new LinkedHashMap<>();
    for (ConfigKey key : Stream.concat(ParamKeys.PARAMS.keySet().stream(), Arrays.stream(jobKeys)).toList()) {
      if (map.put(key.name(), key) != null) {
        throw new IllegalStateException("duplicate key " + key.name());
      }
    }
    return map;
  }

  public static Map<String, ConfigKey> all() {
    return ALL;
  }

  /** One line per key: name, default, meaning, allowed values. */
  public static String describeAll() {
    StringBuilder out = new StringBuilder();
    for (ConfigKey key : ALL.values()) {
      String param = ParamKeys.PARAMS.get(key);
      out.append(String.format("%-26s %-10s %s (%s)%s%n", key.name(), key.defaultValue() == null ? "-"
          : key.defaultValue(), key.description(), key.requirement(), param == null ? ""
          : " [estimator param " + param + "]"));
    }
    return out.toString();
  }

  /** The README's table of keys; a test checks that the README holds exactly this. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder("| key | default | meaning | allowed | estimator param |\n"
        + "|---|---|---|---|---|\n");
    for (ConfigKey key : ALL.values()) {
      String param = ParamKeys.PARAMS.get(key);
      out.append("| `").append(key.name()).append("` | ").append(key.defaultValue() == null ? "(none)"
          : "`" + key.defaultValue() + "`").append(" | ").append(key.description().replace("|", "\\|"))
          .append(" | ").append(key.requirement()).append(" | ").append(param == null ? "" : "`" + param + "`")
          .append(" |\n");
    }
    out.append("| `spark.turbovbi.KEY` | | any key above as a Spark setting (--conf, spark-defaults); a key set directly "
        + "wins | | |\n");
    out.append("| `spark.*` | | any Spark setting, passed to Spark as it is | | |\n");
    return out.toString();
  }
}
