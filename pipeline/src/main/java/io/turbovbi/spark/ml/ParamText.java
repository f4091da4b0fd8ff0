package io.turbovbi.spark.ml;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A param's value as text, in the form a configuration key takes it: numbers without a needless exponent or
 * trailing zeros (1e-4 as 0.0001, 40.0 as 40), per-layer values separated by commas, text as it is.
 */
public final class ParamText {
  private ParamText() {}

  public static String of(Object value) {
    if (value instanceof Double d) {
      return number(d);
    } else if (value instanceof double[] values) {
      return Arrays.stream(values).mapToObj(ParamText::number).collect(Collectors.joining(","));
    } else if (value instanceof String[] values) {
      return String.join(",", values);
    }
    return String.valueOf(value);
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
