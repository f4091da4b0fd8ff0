package io.turbovbi.jobs;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings of a compress run that change its result, recorded in every checkpoint so that {@code --resume}
 * refuses to continue a run under other settings. Every key counts except those listed here: where the output goes,
 * how many threads or which master do the work, the free-running loop's stopping rules (extending a run is what
 * resuming is for; under the compression controller the target decides every iteration's size, so it counts), the
 * test set (read only at the end) and keys of the train job; Spark's own settings never count.
 */
final class RunSettings {
  private static final Set<ConfigKey> NOT_CHANGING_THE_RESULT = Set.of(ConfigKeys.OUTPUT, ConfigKeys.THREADS,
      ConfigKeys.CLUSTER_MASTER, ConfigKeys.CLUSTER_TASK_THREADS, ConfigKeys.CLUSTER_DEPTH,
      ConfigKeys.CLUSTER_PARTITIONS, ConfigKeys.TURBO_ITERATIONS, ConfigKeys.TURBO_TOLERANCE, ConfigKeys.DATA_TEST, ConfigKeys.DATA_TEST_LABELS, ConfigKeys.DATA_TEST_EVALUATE, ConfigKeys.TRAIN_EPOCHS,
      ConfigKeys.TRAIN_VARIATIONAL, ConfigKeys.PRIOR_PRECISION);
  static final String TRAIN_SAMPLES = "data.train.samples";
  static final String VALIDATION_SAMPLES = "data.validation.samples";

  private RunSettings() {}

  /**
   * The settings (defaults included), the sizes of the data read, and in average mode the number of partitions
   * (which averaging makes part of the result; gradient mode sums to the same result on any partitioning).
   */
  static Map<String, String> of(Config config, int trainSamples, int validationSamples, int partitions) {
    Map<String, String> settings = new TreeMap<>();
    for (ConfigKey key : ConfigKeys.all().values()) {
      String value = config.text(key);
      boolean freeRunningStop = key == ConfigKeys.TURBO_TARGET && config.text(ConfigKeys.TURBO_CONTROL).equals("free");
      if (!NOT_CHANGING_THE_RESULT.contains(key) && !freeRunningStop && value != null) {
        settings.put(key.name(), value);
      }
    }
    settings.put(TRAIN_SAMPLES, Integer.toString(trainSamples));
    settings.put(VALIDATION_SAMPLES, Integer.toString(validationSamples));
    if (config.text(ConfigKeys.CLUSTER_MODE).equals("average")) {
      settings.put(ConfigKeys.CLUSTER_PARTITIONS.name(), Integer.toString(partitions));
    }
    return settings;
  }

  /**
   * Checks that a run resumes under the settings its checkpoint was written with.
   *
   * @throws ConfigException naming the first setting that differs
   */
  static void requireSame(Map<String, String> saved, Map<String, String> now, String checkpoints) {
    // The sizes of the data come last: they follow from the keys (the seed places every sample), so a changed key
    // is named rather than the sizes it changed.
    Set<String> keys = new java.util.TreeSet<>(java.util.Comparator.comparing(
        (String key) -> key.equals(TRAIN_SAMPLES) || key.equals(VALIDATION_SAMPLES)).thenComparing(key -> key));
    keys.addAll(saved.keySet());
    keys.addAll(now.keySet());
    for (String key : keys) {
      String before = saved.get(key);
      String after = now.get(key);
      if (before == null ? after != null : !before.equals(after)) {
        throw new ConfigException("--resume: " + key + " is " + (after == null ? "not set" : "'" + after + "'")
            + " but the checkpoints in " + checkpoints + " were made with " + (before == null ? "it unset"
            : "'" + before + "'") + "; resume with the same settings, or start a new run (another output or "
            + "--overwrite)");
      }
    }
  }
}
