package io.turbovbi.jobs;

import io.turbovbi.spark.TurboVbiCompressor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;

/**
 * The configuration keys that are compression settings, and the {@link io.turbovbi.spark.TurboVbiParams} each one
 * sets: the compress job turns its configuration into the estimator's params, and from there into the pipeline's
 * settings by the same code as the estimator ({@link io.turbovbi.spark.CompressionSettings}). A test keeps every
 * key's default equal to its param's.
 */
final class ParamKeys {
  /** Configuration key to param name, for every key that is a compression setting. */
  static final Map<ConfigKey, String> PARAMS = index(
      ConfigKeys.NETWORK, "network", ConfigKeys.NETWORK_INITIAL, "initialNetwork", ConfigKeys.SEED, "seed",
      ConfigKeys.THREADS, "threads", ConfigKeys.DATA_SHAPE, "imageShape", ConfigKeys.DATA_CLASSES, "classes",
      ConfigKeys.DATA_VALIDATION, "validationSize", ConfigKeys.TRAIN_BATCH, "batchSize",
      ConfigKeys.TRAIN_OPTIMIZER, "optimizer", ConfigKeys.TRAIN_LR, "learningRate", ConfigKeys.TRAIN_MOMENTUM,
      "momentum", ConfigKeys.LOGVAR_INIT, "logVarInit", ConfigKeys.LOGVAR_CAP, "logVarCap", ConfigKeys.LOGVAR_LR,
      "logVarLearningRate", ConfigKeys.FACTORISATION, "factorisation", ConfigKeys.WARMUP_PRIOR, "warmUpPrior",
      ConfigKeys.WARMUP_EPOCHS, "warmUpEpochs", ConfigKeys.WARMUP_PATIENCE, "warmUpPatience",
      ConfigKeys.TURBO_EPOCHS, "epochsPerIteration", ConfigKeys.TURBO_CONTROL, "control", ConfigKeys.TURBO_TARGET,
      "targetCompression", ConfigKeys.TURBO_TARGET_FLOPS, "targetFlops", ConfigKeys.TURBO_RAMP, "ramp",
      ConfigKeys.TURBO_HOLD, "hold", ConfigKeys.TURBO_SCHEDULE, "schedule", ConfigKeys.TURBO_GUARD, "guard",
      ConfigKeys.TURBO_ITERATIONS, "iterations", ConfigKeys.TURBO_TOLERANCE, "tolerance", ConfigKeys.PRIOR_A,
      "priorA", ConfigKeys.PRIOR_B, "priorB", ConfigKeys.PRIOR_ABAR, "priorAbar", ConfigKeys.PRIOR_BBAR, "priorBbar",
      ConfigKeys.MRF_MODE, "mrfMode", ConfigKeys.MRF_ROW_P01, "rowP01", ConfigKeys.MRF_ROW_P10, "rowP10",
      ConfigKeys.MRF_COL_P01, "colP01", ConfigKeys.MRF_COL_P10, "colP10", ConfigKeys.MRF_COUPLING_OVERRIDE,
      "mrfCouplingOverride", ConfigKeys.MRF_GATE_PRIOR, "gatePrior", ConfigKeys.MRF_GATE_LEAK, "gateLeak",
      ConfigKeys.MRF_DAMPING, "mrfDamping",
      ConfigKeys.MRF_SWEEPS, "mrfSweeps", ConfigKeys.MRF_TOLERANCE, "mrfTolerance", ConfigKeys.MRF_SCHEDULE,
      "mrfSchedule", ConfigKeys.METHOD, "method", ConfigKeys.FINETUNE_EPOCHS, "fineTuneEpochs",
      ConfigKeys.FINETUNE_LR, "fineTuneLearningRate", ConfigKeys.MAGNITUDE_EPOCHS, "magnitudeEpochs",
      ConfigKeys.MAGNITUDE_COMPRESSION, "magnitudeCompression", ConfigKeys.CLUSTER_PARTITIONS, "partitions",
      ConfigKeys.CLUSTER_MODE, "trainingMode", ConfigKeys.CLUSTER_LOCAL_STEPS, "localSteps",
      ConfigKeys.CLUSTER_TASK_THREADS, "taskThreads", ConfigKeys.CLUSTER_DEPTH, "aggregationDepth");

  private ParamKeys() {}

  private static Map<ConfigKey, String> index(Object... pairs) {
    Map<ConfigKey, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((ConfigKey) pairs[i], (String) pairs[i + 1]);
    }
    return map;
  }

  /** Names the job gives what is not a key: the flags, the output param, and the sizes a checkpoint records. */
  private static final Map<String, String> OTHER_NAMES = Map.of("overwrite", "--overwrite", "resume", "--resume",
      "outputPath", "output", "trainSamples", "data.train.samples", "validationSamples", "data.validation.samples");

  /** How the job names a param in messages: by its key (or, for the flags, as they are given). */
  static final UnaryOperator<String> NAMES = param -> PARAMS.entrySet().stream()
      .filter(e -> e.getValue().equals(param)).map(e -> e.getKey().name()).findFirst()
      .orElse(OTHER_NAMES.getOrDefault(param, param));

  /**
   * The estimator with the configuration's settings (defaults included): every key of {@link #PARAMS} that has a
   * value sets its param; {@code cluster.batch}, when set, is the batch of the distributed w-step.
   */
  static TurboVbiCompressor compressor(Config config) {
    TurboVbiCompressor compressor = new TurboVbiCompressor();
    PARAMS.forEach((key, name) -> {
      String text = config.text(key);
      if (text != null) {
        compressor.setParam(name, value(compressor.getParam(name), text));
      }
    });
    if (config.integer(ConfigKeys.CLUSTER_BATCH) > 0) {
      compressor.setBatchSize(config.integer(ConfigKeys.CLUSTER_BATCH));
    }
    return compressor;
  }

  /** A configuration value as its param's type (the configuration has checked its form). */
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
