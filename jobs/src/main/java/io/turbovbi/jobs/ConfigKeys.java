package io.turbovbi.jobs;

import static io.turbovbi.jobs.ConfigKey.choice;
import static io.turbovbi.jobs.ConfigKey.choices;
import static io.turbovbi.jobs.ConfigKey.flag;
import static io.turbovbi.jobs.ConfigKey.integer;
import static io.turbovbi.jobs.ConfigKey.real;
import static io.turbovbi.jobs.ConfigKey.reals;
import static io.turbovbi.jobs.ConfigKey.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key the jobs read, in the order the README lists them. */
public final class ConfigKeys {
  private static final double INF = Double.POSITIVE_INFINITY;

  public static final ConfigKey NETWORK = text("network", "lenet5",
      "network: a preset (lenet300, lenet5) or a layer list such as `conv(20,5) relu maxpool(2) flatten dense(10)`");
  public static final ConfigKey NETWORK_INITIAL = text("network.initial", null,
      "compress job: a trained network to start from, the path (local or hdfs://) of an ONNX file: its graph gives "
          + "the network (network is then left unset, empty or the same) and its weights the starting means");
  public static final ConfigKey SEED = integer("seed", "1", "seed of every random choice of the run", 0,
      Long.MAX_VALUE);
  public static final ConfigKey THREADS = integer("threads", "0",
      "threads of the single-JVM trainer (0: one per core)", 0, 1024);

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
  public static final ConfigKey DATA_SHAPE = text("data.shape", "1x28x28",
      "shape of one sample, channels x height x width");
  public static final ConfigKey DATA_CLASSES = integer("data.classes", "10", "number of classes", 2, 1_000_000);
  public static final ConfigKey DATA_TEST_EVALUATE = flag("data.test.evaluate", "true",
      "compress job: read the test set at the end; false for tuning runs, which must see only the validation split");
  public static final ConfigKey DATA_VALIDATION = integer("data.validation", "1000",
      "samples carved from the training data for validation; all tuning uses them (single JVM: exactly this many, "
          + "by a seeded shuffle; compress job: about this many, by a seeded hash of each sample's id)", 1,
      Integer.MAX_VALUE);

  public static final ConfigKey TRAIN_EPOCHS = integer("train.epochs", "5", "training epochs", 1, 1_000_000);
  public static final ConfigKey TRAIN_BATCH = integer("train.batch", "128", "mini-batch size", 1, 1_000_000);
  public static final ConfigKey TRAIN_OPTIMIZER = choice("train.optimizer", "adam", "optimiser",
      List.of("adam", "sgd"));
  public static final ConfigKey TRAIN_LR = real("train.lr", "0.001", "learning rate of weights and biases", 0, true,
      INF, true);
  public static final ConfigKey TRAIN_MOMENTUM = real("train.momentum", "0.9", "momentum of sgd", 0, false, 1,
      true);
  public static final ConfigKey TRAIN_VARIATIONAL = flag("train.variational", "false",
      "train job: train the variational network (Gaussian posterior per weight) instead of the deterministic one");

  public static final ConfigKey LOGVAR_INIT = real("bayes.logvar.init", "-10",
      "initial log-variance of every weight's posterior", -INF, true, INF, true);
  public static final ConfigKey LOGVAR_CAP = real("bayes.logvar.cap", "-8",
      "upper cap on log-variances (without it sigma^2 grows and nothing is pruned)", -INF, true, INF, true);
  public static final ConfigKey LOGVAR_LR = real("bayes.logvar.lr", "0.001", "learning rate of the log-variances",
      0, false, INF, true);
  public static final ConfigKey PRIOR_PRECISION = real("bayes.precision", "1",
      "train job: prior precision E[rho] of every weight when a variational net is trained without Turbo-VBI", 0,
      true, INF, true);

  public static final ConfigKey FACTORISATION = choice("turbo.factorisation", "collapsed",
      "Module A: collapsed q(rho | s) (default) or the paper's mean-field form (ablation)",
      List.of("collapsed", "meanfield"));
  public static final ConfigKey WARMUP_PRIOR = choice("turbo.warmup.prior", "active",
      "precision of the warm-up w-step: the active prior a/b, or the prior mixture lambda a/b + (1 - lambda) "
          + "abar/bbar (which left nothing active on LeNet)", List.of("active", "mixture"));
  public static final ConfigKey WARMUP_EPOCHS = integer("turbo.warmup.epochs", "2",
      "w-step epochs before the first Module B call (with a patience: the most)", 0, 1_000_000);
  public static final ConfigKey WARMUP_PATIENCE = integer("turbo.warmup.patience", "0",
      "end the warm-up once the validation accuracy has not improved for this many epochs (0: exactly "
          + "turbo.warmup.epochs)", 0, 1_000_000);
  public static final ConfigKey TURBO_EPOCHS = integer("turbo.epochs", "1", "w-step epochs per outer iteration", 1,
      1_000_000);
  public static final ConfigKey TURBO_CONTROL = choice("turbo.control", "target",
      "target: a controller steers the size after unit removal to the target along the schedule (turbo.ramp, "
          + "turbo.hold); free: the prior alone decides (ablation; stops at turbo.iterations, turbo.tolerance or "
          + "turbo.target.compression)", List.of("target", "free"));
  public static final ConfigKey TURBO_TARGET = real("turbo.target.compression", "0",
      "target: all weights / weights left after unit removal (free: stop once reached; 0: none)", 0, false, INF,
      true);
  public static final ConfigKey TURBO_TARGET_FLOPS = real("turbo.target.flops", "0",
      "target: FLOPs per sample of the network left after unit removal, 2 per multiply-add (0: none; give this or "
          + "turbo.target.compression)", 0, false, INF, true);
  public static final ConfigKey TURBO_RAMP = integer("turbo.ramp", "16",
      "target: outer iterations from the whole network to the target", 1, 1_000_000);
  public static final ConfigKey TURBO_HOLD = integer("turbo.hold", "4",
      "target: outer iterations at the target before the final mask", 0, 1_000_000);
  public static final ConfigKey TURBO_SCHEDULE = choice("turbo.schedule", "cubic",
      "target: the kept share along the ramp, cubic (gradual pruning: fast first, slow near the target) or "
          + "geometric (the same factor every iteration)", List.of("cubic", "geometric"));
  public static final ConfigKey TURBO_GUARD = real("turbo.guard", "0",
      "target: stop ramping, and hold the last size that passed, once the masked network's validation accuracy "
          + "falls more than this many points below the warm-up's (0: no guard)", 0, false, 100, false);
  public static final ConfigKey TURBO_ITERATIONS = integer("turbo.iterations", "6",
      "free: T_max, the most outer iterations", 0, 1_000_000);
  public static final ConfigKey TURBO_TOLERANCE = real("turbo.tolerance", "0",
      "free: stop when the relative changes of pit and mu both fall below this (0: never)", 0, false, INF, true);

  public static final ConfigKey PRIOR_A = reals("prior.a", "1", "shape a of the active precision prior Ga(a, b)", 0,
      true, INF, true);
  public static final ConfigKey PRIOR_B = reals("prior.b", "1", "rate b of the active precision prior", 0, true, INF,
      true);
  public static final ConfigKey PRIOR_ABAR = reals("prior.abar", "1",
      "shape abar of the inactive precision prior Ga(abar, bbar)", 0, true, INF, true);
  public static final ConfigKey PRIOR_BBAR = reals("prior.bbar", "1e-4",
      "rate bbar of the inactive precision prior (smaller: weights must be larger to stay active)", 0, true, INF,
      true);

  public static final ConfigKey MRF_MODE = choices("mrf.mode", "rows",
      "support prior: graph (grids over kernels and image inputs, unit, kernel, filter and channel gates linked "
          + "across layers; loopy BP), grid (row and column chains over the weight matrix, loopy BP), rows (one chain "
          + "per neuron, exact) or iid (Module B off)", List.of("graph", "grid", "rows", "iid"));
  public static final ConfigKey MRF_ROW_P01 = reals("mrf.row.p01", "0.25",
      "row chains: P(next active | inactive); small p01 and p10 make long runs", 0, true, 1, true);
  public static final ConfigKey MRF_ROW_P10 = reals("mrf.row.p10", "0.625", "row chains: P(next inactive | active)",
      0, true, 1, true);
  public static final ConfigKey MRF_COL_P01 = reals("mrf.col.p01", "0.25",
      "column chains (grid, graph): P(1 | 0); on 2-D grids (1-p01)(1-p10)/(p01 p10) must stay below 4 for rows and "
          + "columns", 0, true, 1, true);
  public static final ConfigKey MRF_COL_P10 = reals("mrf.col.p10", "0.625", "column chains (grid, graph): P(0 | 1)",
      0, true, 1, true);
  public static final ConfigKey MRF_COUPLING_OVERRIDE = flag("mrf.coupling.override", "false",
      "run grid or graph mode at or above loopy BP's critical coupling (refused otherwise), with a warning");
  public static final ConfigKey MRF_GATE_PRIOR = reals("mrf.gate.prior", "0.5",
      "graph mode: prior P(alive) of the layer's unit, kernel, filter and channel variables", 0, true, 1, true);
  public static final ConfigKey MRF_GATE_LEAK = reals("mrf.gate.leak", "0.05",
      "graph mode: how much less likely an active weight is under a dead gate (1: gates have no effect)", 0, true,
      1, false);
  public static final ConfigKey MRF_DAMPING = real("mrf.damping", "0.5",
      "loopy BP damping: the share of the old message kept", 0, false, 1, true);
  public static final ConfigKey MRF_SWEEPS = integer("mrf.sweeps", "100", "loopy BP: most sweeps per Module B call",
      1, 1_000_000);
  public static final ConfigKey MRF_TOLERANCE = real("mrf.tolerance", "1e-4",
      "loopy BP: stop when no message changes by more than this", 0, true, INF, true);
  public static final ConfigKey MRF_SCHEDULE = choice("mrf.schedule", "flooding",
      "loopy BP schedule: flooding (all messages at once) or sequential", List.of("flooding", "sequential"));

  public static final ConfigKey METHOD = choice("method", "turbo",
      "compress job: turbo (Turbo-VBI with the MRF prior), iid (Turbo-VBI with Module B off) or magnitude (train "
          + "the dense net, keep the largest |w|: under turbo.control=target gradually, with the same schedule; then "
          + "fine-tune)", List.of("turbo", "iid", "magnitude"));
  public static final ConfigKey FINETUNE_EPOCHS = integer("finetune.epochs", "5",
      "epochs of masked fine-tuning of the pruned network (0: none)", 0, 1_000_000);
  public static final ConfigKey FINETUNE_LR = real("finetune.lr", "0.0005", "learning rate of the fine-tuning", 0,
      true, INF, true);
  public static final ConfigKey MAGNITUDE_EPOCHS = integer("magnitude.epochs", "8",
      "magnitude baseline with turbo.control=free: epochs of dense training before one-shot pruning", 1, 1_000_000);
  public static final ConfigKey MAGNITUDE_COMPRESSION = real("magnitude.compression", "40",
      "magnitude baseline with turbo.control=free: all weights / kept weights of the one-shot pruning", 1, false, INF, true);
  public static final ConfigKey OUTPUT = text("output", "runs/demo",
      "compress job: output location (local path or hdfs://...) for checkpoints and the result");
  public static final ConfigKey CLUSTER_MASTER = text("cluster.master", "local[*]",
      "Spark master when the job is not started by spark-submit (spark-submit's --master wins)");
  public static final ConfigKey CLUSTER_PARTITIONS = integer("cluster.partitions", "0",
      "partitions (shards) of the training data (0: Spark's default parallelism, i.e. the cores)", 0, 1_000_000);
  public static final ConfigKey CLUSTER_MODE = choice("cluster.mode", "gradient",
      "distributed w-step: gradient (partitions sum the gradient of each global batch; the result does not depend "
          + "on the partitioning) or average (local steps, then parameters averaged)", List.of("gradient", "average"));
  public static final ConfigKey CLUSTER_BATCH = integer("cluster.batch", "0",
      "global mini-batch per round in gradient mode, local mini-batch in average mode (0: train.batch)", 0,
      1_000_000);
  public static final ConfigKey CLUSTER_LOCAL_STEPS = integer("cluster.local.steps", "8",
      "average mode: local optimiser steps per round", 1, 1_000_000);
  public static final ConfigKey CLUSTER_TASK_THREADS = integer("cluster.task.threads", "1",
      "engine threads inside each task; above 1, Spark gives each task as many cores (spark.task.cpus), so fewer, "
          + "larger tasks share a round", 1, 1024);
  public static final ConfigKey CLUSTER_DEPTH = integer("cluster.aggregation.depth", "0",
      "depth of the tree aggregation of round results (0: from the partition count, so that no node sums more "
          + "than 16 results: 1 up to 16 partitions, 2 up to 256)", 0, 10);

  private static final Map<String, ConfigKey> ALL = index(
      NETWORK, NETWORK_INITIAL, SEED, THREADS, DATA_FORMAT, DATA_TRAIN, DATA_TRAIN_LABELS, DATA_TRAIN_LIMIT, DATA_TEST,
      DATA_TEST_LABELS, DATA_SHAPE, DATA_CLASSES, DATA_TEST_EVALUATE, DATA_VALIDATION, TRAIN_EPOCHS, TRAIN_BATCH,
      TRAIN_OPTIMIZER, TRAIN_LR, TRAIN_MOMENTUM, TRAIN_VARIATIONAL, LOGVAR_INIT, LOGVAR_CAP, LOGVAR_LR, PRIOR_PRECISION, FACTORISATION,
      WARMUP_PRIOR, WARMUP_EPOCHS, WARMUP_PATIENCE, TURBO_EPOCHS, TURBO_CONTROL, TURBO_TARGET, TURBO_TARGET_FLOPS,
      TURBO_RAMP, TURBO_HOLD, TURBO_SCHEDULE, TURBO_GUARD, TURBO_ITERATIONS, TURBO_TOLERANCE, PRIOR_A, PRIOR_B,
      PRIOR_ABAR, PRIOR_BBAR, MRF_MODE, MRF_ROW_P01, MRF_ROW_P10, MRF_COL_P01, MRF_COL_P10, MRF_COUPLING_OVERRIDE, MRF_GATE_PRIOR,
      MRF_GATE_LEAK, MRF_DAMPING, MRF_SWEEPS,
      MRF_TOLERANCE, MRF_SCHEDULE, METHOD, FINETUNE_EPOCHS, FINETUNE_LR, MAGNITUDE_EPOCHS, MAGNITUDE_COMPRESSION,
      OUTPUT, CLUSTER_MASTER, CLUSTER_PARTITIONS, CLUSTER_MODE, CLUSTER_BATCH, CLUSTER_LOCAL_STEPS,
      CLUSTER_TASK_THREADS, CLUSTER_DEPTH);

  /** Keys with this prefix are Spark's own settings, passed to the Spark configuration unchecked. */
  public static final String SPARK_PREFIX = "spark.";

  private ConfigKeys() {}

  private static Map<String, ConfigKey> index(ConfigKey... keys) {
    Map<String, ConfigKey> map = new LinkedHashMap<>();
    for (ConfigKey key : keys) {
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
  static String describeAll() {
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
  static String markdownTable() {
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
