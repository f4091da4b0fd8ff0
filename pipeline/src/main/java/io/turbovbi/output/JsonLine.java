package io.turbovbi.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object on one line, built field by field in insertion order; values may nest. Written by Jackson, with a
 * space after each colon and comma, and real numbers to six significant digits (non-finite ones as null).
 */
public final class JsonLine {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER = new ObjectMapper().writer(new Spaced());

  private final Map<String, Object> fields = new LinkedHashMap<>();

  public JsonLine put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  @Override
  public String toString() {
    try {
      return WRITER.writeValueAsString(node());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode node() {
    ObjectNode object = NODES.objectNode();
    fields.forEach((name, value) -> object.set(name, node(value)));
    return object;
  }

  /** A value as a JSON node: numbers, booleans, nested lines, maps, collections and arrays; anything else as text. */
  private static JsonNode node(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? NODES.rawValueNode(new RawValue(sixDigits(d))) : NODES.nullNode();
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      return NODES.numberNode(((Number) value).longValue());
    } else if (value instanceof Number) {
      return NODES.rawValueNode(new RawValue(value.toString()));
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof JsonLine nested) {
      return nested.node();
    } else if (value instanceof double[] array) {
      return list(Arrays.stream(array).boxed().toList());
    } else if (value instanceof int[] array) {
      return list(Arrays.stream(array).boxed().toList());
    } else if (value instanceof long[] array) {
      return list(Arrays.stream(array).boxed().toList());
    } else if (value instanceof Collection<?> collection) {
      return list(collection);
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(k.toString(), node(v)));
      return object;
    }
    return NODES.textNode(value.toString());
  }

  private static ArrayNode list(Collection<?> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(value -> array.add(node(value)));
    return array;
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

  /** One line with a space after each colon and comma, as people read it in a terminal. */
  private static final class Spaced extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
      generator.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator generator) throws IOException {
      generator.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator generator) throws IOException {
      generator.writeRaw(", ");
    }
  }
}
