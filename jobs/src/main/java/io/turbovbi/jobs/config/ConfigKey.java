package io.turbovbi.jobs.config;

import java.util.List;
import java.util.function.Predicate;

/**
 * One configuration key: its name, default (null: no default), a one-line description, and a check of its value
 * with the reason shown when the check fails.
 */
public record ConfigKey(String name, String defaultValue, String description, Predicate<String> check,
                        String requirement) {

  static ConfigKey text(String name, String defaultValue, String description) {
    return new ConfigKey(name, defaultValue, description, value -> true, "any text");
  }

  static ConfigKey choice(String name, String defaultValue, String description, List<String> choices) {
    return new ConfigKey(name, defaultValue, description, choices::contains, "one of " + String.join(", ",
        choices));
  }

  static ConfigKey integer(String name, String defaultValue, String description, long min, long max) {
    return new ConfigKey(name, defaultValue, description, value -> {
      try {
        long v = Long.parseLong(value.trim());
        return v >= min && v <= max;
      } catch (NumberFormatException e) {
        return false;
      }
    }, max == Long.MAX_VALUE ? "an integer >= " + min : "an integer in [" + min + ", " + max + "]");
  }

  /** A real number in an interval; open ends are excluded. */
  static ConfigKey real(String name, String defaultValue, String description, double min, boolean minOpen,
                        double max, boolean maxOpen) {
    String interval = (minOpen ? "(" : "[") + format(min) + ", " + format(max) + (maxOpen ? ")" : "]");
    return new ConfigKey(name, defaultValue, description, value -> {
      try {
        double v = Double.parseDouble(value.trim());
        return !Double.isNaN(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
      } catch (NumberFormatException e) {
        return false;
      }
    }, "a number in " + interval);
  }

  static ConfigKey flag(String name, String defaultValue, String description) {
    return new ConfigKey(name, defaultValue, description, value -> value.equals("true") || value.equals("false"),
        "true or false");
  }

  private static String format(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
