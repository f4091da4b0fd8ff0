package io.turbovbi.jobs.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A job's configuration: a properties file ({@code key = value}, {@code #} comments) with command-line overrides,
 * checked against {@link ConfigKeys} when loaded, so that a typo or a value out of range fails at once with a
 * message that names the key.
 */
public final class Config {
  /** Prefix of this project's settings given as Spark settings. */
  public static final String SPARK_SETTINGS_PREFIX = "spark.turbovbi.";
  /** Test-only Spark settings (fault injection, e.g. spark.turbovbi.test.failFirstAttempt): Spark's, not keys. */
  private static final String TEST_SETTINGS_PREFIX = SPARK_SETTINGS_PREFIX + "test.";
  private final Map<String, String> values;

  private Config(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Reads the file (if any), applies the overrides, then the settings given as Spark settings
   * ({@value #SPARK_SETTINGS_PREFIX}KEY, e.g. from spark-submit's --conf or spark-defaults.conf) for keys not set
   * otherwise, and checks every key and value.
   */
  public static Config load(Path file, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (NoSuchFileException e) {
        throw new ConfigException("configuration file " + file + " does not exist");
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
      }
      properties.stringPropertyNames().stream().sorted()
          .forEach(name -> values.put(name, properties.getProperty(name).trim()));
    }
    overrides.forEach((name, value) -> values.put(name, value.trim()));
    fromSparkSettings(values).forEach(values::putIfAbsent);
    for (Map.Entry<String, String> entry : values.entrySet()) {
      ConfigKey key = ConfigKeys.all().get(entry.getKey());
      if (key == null && entry.getKey().startsWith(ConfigKeys.SPARK_PREFIX)) {
        continue;
      }
      if (key == null) {
        throw new ConfigException("unknown configuration key '" + entry.getKey() + "'" + suggestion(entry.getKey()));
      }
      if (!key.check().test(entry.getValue())) {
        throw new ConfigException(key.name() + " must be " + key.requirement() + ", got '" + entry.getValue() + "'");
      }
    }
    return new Config(values);
  }

  /**
   * Settings given as Spark settings, {@code spark.turbovbi.KEY=VALUE} (spark-submit's {@code --conf}, spark-defaults,
   * or the configuration itself), as {@code KEY=VALUE}; they count below a key set directly. Each is checked here, so
   * that a message names it as it was given.
   */
  private static Map<String, String> fromSparkSettings(Map<String, String> values) {
    Map<String, String> given = new TreeMap<>();
    System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(SPARK_SETTINGS_PREFIX))
        .forEach(name -> given.put(name, System.getProperty(name).trim()));
    values.forEach((name, value) -> {
      if (name.startsWith(SPARK_SETTINGS_PREFIX)) {
        given.put(name, value);
      }
    });
    given.keySet().removeIf(name -> name.startsWith(TEST_SETTINGS_PREFIX));
    Map<String, String> settings = new LinkedHashMap<>();
    given.forEach((name, value) -> {
      String keyName = name.substring(SPARK_SETTINGS_PREFIX.length());
      ConfigKey key = ConfigKeys.all().get(keyName);
      if (key == null) {
        throw new ConfigException("unknown configuration key '" + keyName + "' in the Spark setting " + name
            + suggestion(keyName));
      }
      if (!key.check().test(value)) {
        throw new ConfigException(name + " must be " + key.requirement() + ", got '" + value + "'");
      }
      settings.put(keyName, value);
    });
    return settings;
  }

  private static String suggestion(String unknown) {
    return ConfigKeys.all().keySet().stream()
        .min(Comparator.comparingInt(known -> editDistance(unknown, known)))
        .filter(best -> editDistance(unknown, best) <= Math.max(2, unknown.length() / 3))
        .map(best -> " (did you mean '" + best + "'?)")
        .orElse("");
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** A copy with one key set (checked like any other value). */
  public Config with(ConfigKey key, String value) {
    if (!key.check().test(value)) {
      throw new ConfigException(key.name() + " must be " + key.requirement() + ", got '" + value + "'");
    }
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.put(key.name(), value);
    return new Config(copy);
  }

  /** The value of a key, or its default; null when neither is set. */
  public String text(ConfigKey key) {
    return values.getOrDefault(key.name(), key.defaultValue());
  }

  /** The value of a key that must be set (directly or by default). */
  public String required(ConfigKey key) {
    String value = text(key);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(key.name() + " must be set (" + key.description() + ")");
    }
    return value;
  }

  public int integer(ConfigKey key) {
    return Math.toIntExact(Long.parseLong(required(key)));
  }

  public long longValue(ConfigKey key) {
    return Long.parseLong(required(key));
  }

  public double real(ConfigKey key) {
    return Double.parseDouble(required(key));
  }

  public boolean flag(ConfigKey key) {
    return Boolean.parseBoolean(required(key));
  }

  /** The per-layer values of a list key: one value for every layer, or exactly one per layer. */
  public String[] perLayer(ConfigKey key, int layers) {
    String[] parts = required(key).split(",");
    if (parts.length == 1) {
      String[] all = new String[layers];
      Arrays.fill(all, parts[0].trim());
      return all;
    }
    if (parts.length != layers) {
      throw new ConfigException(key.name() + " lists " + parts.length + " values but the network has " + layers
          + " weight layers");
    }
    return Arrays.stream(parts).map(String::trim).toArray(String[]::new);
  }

  public double[] realsPerLayer(ConfigKey key, int layers) {
    return Arrays.stream(perLayer(key, layers)).mapToDouble(Double::parseDouble).toArray();
  }

  /** Spark settings given in the configuration ({@code spark.*} keys). */
  public Map<String, String> sparkSettings() {
    Map<String, String> spark = new LinkedHashMap<>();
    values.forEach((name, value) -> {
      if (name.startsWith(ConfigKeys.SPARK_PREFIX)) {
        spark.put(name, value);
      }
    });
    return spark;
  }

  /** Every key explicitly set, for the record of a run. */
  public Map<String, String> explicitValues() {
    return Map.copyOf(values);
  }
}
