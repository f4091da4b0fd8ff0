package io.turbovbi.spark.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named two-dimensional arrays (rows of any length, a row or the whole array may be null) of float32 or float64, as
 * a table of contents in JSON and the values as raw little-endian bytes, in table order. Reading checks every length
 * against the bytes there are before it allocates anything, so a damaged table cannot make the reader allocate more
 * than the file holds.
 */
final class NamedArrays {
  private static final String F32 = "f32";
  private static final String F64 = "f64";
  /** Row length that stands for a null row. */
  private static final int NULL_ROW = -1;

  private final Map<String, Object> arrays = new LinkedHashMap<>();

  NamedArrays put(String name, float[][] rows) {
    if (rows != null) {
      arrays.put(name, rows);
    }
    return this;
  }

  NamedArrays put(String name, double[][] rows) {
    if (rows != null) {
      arrays.put(name, rows);
    }
    return this;
  }

  /** The float32 array of that name, or null if there is none. */
  float[][] floats(String name) {
    return arrays.get(name) instanceof float[][] rows ? rows : null;
  }

  /** The float64 array of that name, or null if there is none. */
  double[][] doubles(String name) {
    return arrays.get(name) instanceof double[][] rows ? rows : null;
  }

  /** The table of contents: name, element type and row lengths of every array. */
  ArrayNode table(ObjectMapper json) {
    ArrayNode table = json.createArrayNode();
    arrays.forEach((name, value) -> {
      ObjectNode entry = table.addObject().put("name", name).put("type", value instanceof float[][] ? F32 : F64);
      ArrayNode lengths = entry.putArray("lengths");
      if (value instanceof float[][] rows) {
        for (float[] row : rows) {
          lengths.add(row == null ? NULL_ROW : row.length);
        }
      } else {
        for (double[] row : (double[][]) value) {
          lengths.add(row == null ? NULL_ROW : row.length);
        }
      }
    });
    return table;
  }

  /** The values of every array in table order. */
  byte[] values() {
    long bytes = 0;
    for (Object value : arrays.values()) {
      bytes += value instanceof float[][] rows ? 4L * elements(rows) : 8L * elements((double[][]) value);
    }
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    for (Object value : arrays.values()) {
      if (value instanceof float[][] rows) {
        for (float[] row : rows) {
          if (row != null) {
            out.asFloatBuffer().put(row);
            out.position(out.position() + 4 * row.length);
          }
        }
      } else {
        for (double[] row : (double[][]) value) {
          if (row != null) {
            out.asDoubleBuffer().put(row);
            out.position(out.position() + 8 * row.length);
          }
        }
      }
    }
    return out.array();
  }

  /**
   * Reads the arrays a table describes from {@code values}, which must hold exactly their bytes.
   *
   * @throws IllegalArgumentException if the table is malformed or does not match the bytes
   */
  static NamedArrays read(JsonNode table, ByteBuffer values) {
    if (table == null || !table.isArray()) {
      throw new IllegalArgumentException("no table of arrays");
    }
    values.order(ByteOrder.LITTLE_ENDIAN);
    NamedArrays arrays = new NamedArrays();
    for (JsonNode entry : table) {
      String name = entry.path("name").asText();
      String type = entry.path("type").asText();
      int size = type.equals(F32) ? 4 : type.equals(F64) ? 8 : 0;
      JsonNode lengths = entry.path("lengths");
      if (name.isEmpty() || size == 0 || !lengths.isArray()) {
        throw new IllegalArgumentException("malformed entry " + entry);
      }
      long bytes = 0;
      for (JsonNode length : lengths) {
        if (!length.canConvertToInt() || length.asInt() < NULL_ROW) {
          throw new IllegalArgumentException("array " + name + " has a bad row length " + length);
        }
        bytes += (long) size * Math.max(0, length.asInt());
      }
      if (bytes > values.remaining()) {
        throw new IllegalArgumentException("array " + name + " needs " + bytes + " bytes, " + values.remaining()
            + " are left");
      }
      if (size == 4) {
        float[][] rows = new float[lengths.size()][];
        for (int r = 0; r < rows.length; r++) {
          int length = lengths.get(r).asInt();
          if (length != NULL_ROW) {
            rows[r] = new float[length];
            values.asFloatBuffer().get(rows[r]);
            values.position(values.position() + 4 * length);
          }
        }
        arrays.put(name, rows);
      } else {
        double[][] rows = new double[lengths.size()][];
        for (int r = 0; r < rows.length; r++) {
          int length = lengths.get(r).asInt();
          if (length != NULL_ROW) {
            rows[r] = new double[length];
            values.asDoubleBuffer().get(rows[r]);
            values.position(values.position() + 8 * length);
          }
        }
        arrays.put(name, rows);
      }
    }
    if (values.hasRemaining()) {
      throw new IllegalArgumentException(values.remaining() + " bytes after the last array");
    }
    return arrays;
  }

  private static long elements(float[][] rows) {
    long n = 0;
    for (float[] row : rows) {
      n += row == null ? 0 : row.length;
    }
    return n;
  }

  private static long elements(double[][] rows) {
    long n = 0;
    for (double[] row : rows) {
      n += row == null ? 0 : row.length;
    }
    return n;
  }
}
