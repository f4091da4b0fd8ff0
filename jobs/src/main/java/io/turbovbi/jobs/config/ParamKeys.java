package io.turbovbi.jobs.config;

import io.turbovbi.spark.ml.Allowed;
import io.turbovbi.spark.ml.ParamText;
import io.turbovbi.spark.ml.TurboVbiCompressor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import scala.Function1;

/**
 * The configuration keys that are compression settings. Each is a param of {@link io.turbovbi.spark.ml.TurboVbiParams}
 * under a key name of {@link #PARAM_OF_KEY}; its default, meaning, check and allowed values are the param's own, so
 * that adding a compression setting is its param and one line here. The compress job turns its configuration into
 * the estimator's params, and from there into the pipeline's settings by the same code as the estimator
 * ({@link io.turbovbi.spark.ml.CompressionSettings}).
 */
public final class ParamKeys {
  /** Key name to param name, in the order the keys are listed. */
  private static final Map<String, String> PARAM_OF_KEY = table(
      "network", "network",
      "network.initial", "initialNetwork",
      "seed", "seed",
      "threads", "threads",
      "data.shape", "imageShape",
      "data.classes", "classes",
      "data.validation", "validationSize",
      "train.batch", "batchSize",
      "train.optimizer", "optimizer",
      "train.lr", "learningRate",
      "train.momentum", "momentum",
      "bayes.logvar.init", "logVarInit",
      "bayes.logvar.cap", "logVarCap",
      "bayes.logvar.lr", "logVarLearningRate",
      "turbo.factorisation", "factorisation",
      "turbo.warmup.prior", "warmUpPrior",
      "turbo.warmup.epochs", "warmUpEpochs",
      "turbo.warmup.patience", "warmUpPatience",
      "turbo.epochs", "epochsPerIteration",
      "turbo.control", "control",
      "turbo.target.compression", "targetCompression",
      "turbo.target.flops", "targetFlops",
      "turbo.ramp", "ramp",
      "turbo.hold", "hold",
      "turbo.schedule", "schedule",
      "turbo.guard", "guard",
      "turbo.iterations", "iterations",
      "turbo.tolerance", "tolerance",
      "prior.a", "priorA",
      "prior.b", "priorB",
      "prior.abar", "priorAbar",
      "prior.bbar", "priorBbar",
      "mrf.mode", "mrfMode",
      "mrf.row.p01", "rowP01",
      "mrf.row.p10", "rowP10",
      "mrf.col.p01", "colP01",
      "mrf.col.p10", "colP10",
      "mrf.coupling.override", "mrfCouplingOverride",
      "mrf.gate.prior", "gatePrior",
      "mrf.gate.leak", "gateLeak",
      "mrf.damping", "mrfDamping",
      "mrf.sweeps", "mrfSweeps",
      "mrf.tolerance", "mrfTolerance",
      "mrf.schedule", "mrfSchedule",
      "method", "method",
      "finetune.epochs", "fineTuneEpochs",
      "finetune.lr", "fineTuneLearningRate",
      "magnitude.epochs", "magnitudeEpochs",
      "magnitude.compression", "magnitudeCompression",
      "cluster.partitions", "partitions",
      "cluster.mode", "trainingMode",
      "cluster.local.steps", "localSteps",
      "cluster.task.threads", "taskThreads",
      "cluster.aggregation.depth", "aggregationDepth");

  /**
   * Keys that may be given empty, which counts as unset, so that a configuration file's value can be cleared on the
   * command line (network= beside network.initial).
   */
  private static final Set<String> CLEARABLE = Set.of("network", "data.shape");

  /** Names the job gives what is not a key: the flags, the output param, and the sizes a checkpoint records. */
  private static final Map<String, String> OTHER_NAMES = Map.of("overwrite", "--overwrite", "resume", "--resume",
      "outputPath", "output", "trainSamples", "data.train.samples", "validationSamples", "data.validation.samples");

  /** Every compression key, made from its param, to the param's name. */
  static final Map<ConfigKey, String> PARAMS = derive();

  private ParamKeys() {}

  private static Map<String, String> table(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  private static Map<ConfigKey, String> derive() {
    TurboVbiCompressor defaults = new TurboVbiCompressor();
    Map<ConfigKey, String> keys = new LinkedHashMap<>();
    PARAM_OF_KEY.forEach((key, name) -> keys.put(key(key, defaults.getParam(name), defaults), name));
    return Collections.unmodifiableMap(keys);
  }

  /** The key {@code name} of a param: its default as text (none for empty text), its doc, its validator. */
  private static ConfigKey key(String name, Param<Object> param, TurboVbiCompressor defaults) {
    String defaultText = ParamText.of(defaults.getOrDefault(param));
    if (param instanceof BooleanParam) {
      return new ConfigKey(name, defaultText, param.doc(), text -> text.equals("true") || text.equals("false"),
          "true or false");
    }
    @SuppressWarnings("unchecked")
    Function1<Object, Object> valid = (Function1<Object, Object>) (Function1<?, ?>) param.isValid();
    Predicate<String> check = text -> {
      if (text.isEmpty() && CLEARABLE.contains(name)) {
        return true;
      }
      try {
        return (Boolean) valid.apply(value(param, text));
      } catch (NumberFormatException e) {
        return false;
      }
    };
    String requirement = valid instanceof Allowed<?> allowed ? allowed.description() : "any text";
    return new ConfigKey(name, defaultText.isEmpty() ? null : defaultText, param.doc(), check, requirement);
  }

  /** The compression key of this name. */
  static ConfigKey key(String name) {
    return PARAMS.keySet().stream().filter(key -> key.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no compression key " + name));
  }

  /** How the job names a param in messages: by its key (or, for the flags, as they are given). */
  public static final UnaryOperator<String> NAMES = param -> PARAM_OF_KEY.entrySet().stream()
      .filter(e -> e.getValue().equals(param)).map(Map.Entry::getKey).findFirst()
      .orElse(OTHER_NAMES.getOrDefault(param, param));

  /**
   * The estimator with the configuration's settings (defaults included): every compression key that has a value
   * (not empty) sets its param; {@code cluster.batch}, when set, is the batch of the distributed w-step.
   */
  public static TurboVbiCompressor compressor(Config config) {
    TurboVbiCompressor compressor = new TurboVbiCompressor();
    PARAMS.forEach((key, name) -> {
      String text = config.text(key);
      if (text != null && !text.isEmpty()) {
        compressor.setParam(name, value(compressor.getParam(name), text));
      }
    });
    if (config.integer(ConfigKeys.CLUSTER_BATCH) > 0) {
      compressor.setBatchSize(config.integer(ConfigKeys.CLUSTER_BATCH));
    }
    return compressor;
  }

  /** A configuration value as its param's type. */
  static Object value(Param<?> param, String text) {
    if (param instanceof IntParam) {
      return Integer.parseInt(text.trim());
    } else if (param instanceof LongParam) {
      return Long.parseLong(text.trim());
    } else if (param instanceof DoubleParam) {
      return Double.parseDouble(text.trim());
    } else if (param instanceof BooleanParam) {
      return Boolean.parseBoolean(text.trim());
    } else if (param instanceof DoubleArrayParam) {
      return Arrays.stream(text.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }
    return text.trim();
  }
}
