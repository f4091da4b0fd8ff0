package io.turbovbi.spark.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import scala.Function1;

/**
 * A param's validator that also says, in words, what it allows ("an integer in [1, 1000000]"), so that a front end
 * that sets params from text (the compress job's configuration keys) checks a value with the param's own rule and
 * names that rule when the value fails it.
 *
 * @param <T> the param's value type as Spark passes it to the validator (boxed numbers as Object)
 */
public final class Allowed<T> implements Function1<T, Object>, Serializable {
  static final double INF = Double.POSITIVE_INFINITY;
  private static final long serialVersionUID = 1L;
  private static final String PER_LAYER = ", or one per weight layer separated by commas";

  private final Check<T> check;
  private final String description;

  private Allowed(Check<T> check, String description) {
    this.check = check;
    this.description = description;
  }

  /** A test of a value that travels with its param. */
  @FunctionalInterface
  interface Check<T> extends Serializable {
    boolean test(T value);
  }

  @Override
  public Object apply(T value) {
    return check.test(value);
  }

  /** What the validator allows, e.g. "a number in (0, 1)". */
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }

  /** An integer in [min, max] (IntParam and LongParam); max Long.MAX_VALUE: no upper bound. */
  static Allowed<Object> integer(long min, long max) {
    return new Allowed<>(value -> ((Number) value).longValue() >= min && ((Number) value).longValue() <= max,
        max == Long.MAX_VALUE ? "an integer >= " + min : "an integer in [" + min + ", " + max + "]");
  }

  /** A real number in an interval whose ends are excluded when open; NaN never. */
  static Allowed<Object> real(double min, boolean minOpen, double max, boolean maxOpen) {
    return new Allowed<>(value -> inInterval((Double) value, min, minOpen, max, maxOpen),
        "a number in " + interval(min, minOpen, max, maxOpen));
  }

  /** One real number in an interval for every weight layer, or one per weight layer (at least one value). */
  static Allowed<double[]> perLayer(double min, boolean minOpen, double max, boolean maxOpen) {
    return new Allowed<>(values -> values.length > 0
        && Arrays.stream(values).allMatch(v -> inInterval(v, min, minOpen, max, maxOpen)),
        "a number in " + interval(min, minOpen, max, maxOpen) + PER_LAYER);
  }

  static Allowed<String> oneOf(String... choices) {
    List<String> allowed = List.of(choices);
    return new Allowed<>(allowed::contains, "one of " + String.join(", ", choices));
  }

  /** A choice for every weight layer, or one per weight layer separated by commas. */
  static Allowed<String> oneOfPerLayer(String... choices) {
    List<String> allowed = List.of(choices);
    return new Allowed<>(value -> !value.isBlank() && Arrays.stream(value.split(",")).map(String::trim)
        .allMatch(allowed::contains), "one of " + String.join(", ", choices) + PER_LAYER);
  }

  /** Text that {@code parse} reads without an IllegalArgumentException. */
  static Allowed<String> parsed(String description, Check<String> parse) {
    return new Allowed<>(value -> {
      try {
        return parse.test(value);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }, description);
  }

  static Allowed<String> anyText() {
    return new Allowed<>(value -> true, "any text");
  }

  /** Names, none of them blank. */
  static Allowed<String[]> names() {
    return new Allowed<>(values -> Arrays.stream(values).noneMatch(String::isBlank), "names, none blank");
  }

  private static boolean inInterval(double v, double min, boolean minOpen, double max, boolean maxOpen) {
    return !Double.isNaN(v) && (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
  }

  private static String interval(double min, boolean minOpen, double max, boolean maxOpen) {
    return (minOpen ? "(" : "[") + format(min) + ", " + format(max) + (maxOpen ? ")" : "]");
  }

  private static String format(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
