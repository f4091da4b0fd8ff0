package io.turbovbi.jobs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One JSON object on one line, built field by field in insertion order; values may nest. */
public final class JsonLine {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public JsonLine put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      quote(field.getKey(), out);
      out.append(": ");
      value(field.getValue(), out);
    }
    return out.append('}').toString();
  }

  private static void value(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? sixDigits(d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof JsonLine nested) {
      out.append(nested);
    } else if (value instanceof double[] array) {
      list(java.util.Arrays.stream(array).boxed().toList(), out);
    } else if (value instanceof int[] array) {
      list(java.util.Arrays.stream(array).boxed().toList(), out);
    } else if (value instanceof long[] array) {
      list(java.util.Arrays.stream(array).boxed().toList(), out);
    } else if (value instanceof java.util.Collection<?> collection) {
      list(collection, out);
    } else if (value instanceof Map<?, ?> map) {
      JsonLine nested = new JsonLine();
      map.forEach((k, v) -> nested.put(k.toString(), v));
      out.append(nested);
    } else {
      quote(value.toString(), out);
    }
  }

  /** Six significant digits without trailing zeros after the decimal point: 80.0 -> 80, 393530.2 -> 393530. */
  private static String sixDigits(double d) {
    String formatted = String.format(Locale.ROOT, "%.6g", d);
    int exponent = formatted.indexOf('e');
    String mantissa = exponent < 0 ? formatted : formatted.substring(0, exponent);
    if (mantissa.indexOf('.') >= 0) {
      mantissa = mantissa.replaceFirst("\\.?0+$", "");
    }
    return exponent < 0 ? mantissa : mantissa + formatted.substring(exponent);
  }

  private static void list(java.util.Collection<?> values, StringBuilder out) {
    out.append('[');
    boolean first = true;
    for (Object value : values) {
      if (!first) {
        out.append(", ");
      }
      value(value, out);
      first = false;
    }
    out.append(']');
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
