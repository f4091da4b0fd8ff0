package io.turbovbi.spark.ml;

import io.turbovbi.output.OutputException;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.param.Param;

/**
 * The settings of a run that change its result, recorded in every checkpoint so that a resume under other settings
 * is refused. Every param counts except those listed here: where the output goes, how many threads or partitions do
 * the work, the free-running loop's stopping rules (extending a run is what resuming is for; under the compression
 * controller the target decides every iteration's size, so it counts), Spark's columns and the input contract
 * (which do not change the network). Settings are named as the front end calls them.
 */
final class RunSettings {
  private static final Set<String> NOT_CHANGING_THE_RESULT = Set.of("threads", "taskThreads", "aggregationDepth",
      "partitions", "iterations", "tolerance", "outputPath", "overwrite", "resume", "featuresCol", "labelCol",
      "predictionCol", "probabilityCol", "rawPredictionCol", "thresholds", "inputScaling", "classLabels");
  static final String TRAIN_SAMPLES = "trainSamples";
  static final String VALIDATION_SAMPLES = "validationSamples";

  private RunSettings() {}

  /**
   * The params' settings (defaults included), the front end's own settings that change the result, the sizes of the
   * data read, and in average mode the number of partitions (which averaging makes part of the result; gradient mode
   * sums to the same result on any partitioning).
   *
   * @param names the name of a param as the front end calls it
   */
  static Map<String, String> of(TurboVbiParams params, UnaryOperator<String> names, Map<String, String> frontEnd,
                                int trainSamples, int validationSamples, int partitions) {
    Map<String, String> settings = new TreeMap<>(frontEnd);
    boolean freeRunning = params.$(params.control()).equals("free");
    for (Param<?> param : params.params()) {
      boolean freeRunningStop = freeRunning && param.name().equals(params.targetCompression().name());
      if (!NOT_CHANGING_THE_RESULT.contains(param.name()) && !freeRunningStop && params.isDefined(param)) {
        settings.put(names.apply(param.name()), ParamText.of(params.getOrDefault(param)));
      }
    }
    settings.put(names.apply(TRAIN_SAMPLES), Integer.toString(trainSamples));
    settings.put(names.apply(VALIDATION_SAMPLES), Integer.toString(validationSamples));
    if (params.$(params.trainingMode()).equals("average")) {
      settings.put(names.apply(params.partitions().name()), Integer.toString(partitions));
    }
    return settings;
  }

  /**
   * Checks that a run resumes under the settings its checkpoint was written with.
   *
   * @throws OutputException naming the first setting that differs
   */
  static void requireSame(Map<String, String> saved, Map<String, String> now, String checkpoints,
                          UnaryOperator<String> names) {
    // The sizes of the data come last: they follow from the settings (the seed places every sample), so a changed
    // setting is named rather than the sizes it changed.
    Set<String> sizes = Set.of(names.apply(TRAIN_SAMPLES), names.apply(VALIDATION_SAMPLES));
    Set<String> keys = new TreeSet<>(Comparator.comparing((String key) -> sizes.contains(key))
        .thenComparing(Comparator.naturalOrder()));
    keys.addAll(saved.keySet());
    keys.addAll(now.keySet());
    for (String key : keys) {
      String before = saved.get(key);
      String after = now.get(key);
      if (before == null ? after != null : !before.equals(after)) {
        throw new OutputException(names.apply("resume") + ": " + key + " is " + (after == null ? "not set"
            : "'" + after + "'") + " but the checkpoints in " + checkpoints + " were made with " + (before == null
            ? "it unset" : "'" + before + "'") + "; resume with the same settings, or start a new run (another "
            + "output or " + names.apply("overwrite") + ")");
      }
    }
  }
}
