package io.turbovbi.output;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes arrays in NumPy's .npy format (version 1.0, little-endian), which numpy.load reads directly. */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private Npy() {}

  public static RunOutput.Content floats(float[] values, int... shape) {
    return out -> {
      header(out, "<f4", values.length, shape);
      ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().put(values);
      out.write(buffer.array());
    };
  }

  public static RunOutput.Content doubles(double[] values, int... shape) {
    return out -> {
      header(out, "<f8", values.length, shape);
      ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asDoubleBuffer().put(values);
      out.write(buffer.array());
    };
  }

  public static RunOutput.Content booleans(boolean[] values, int... shape) {
    return out -> {
      header(out, "|b1", values.length, shape);
      byte[] bytes = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        bytes[i] = (byte) (values[i] ? 1 : 0);
      }
      out.write(bytes);
    };
  }

  private static void header(OutputStream out, String type, int count, int[] shape) throws IOException {
    long product = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    if (product != count) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + count + " values");
    }
    String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "))
        + (shape.length == 1 ? "," : "");
    StringBuilder text = new StringBuilder("{'descr': '" + type + "', 'fortran_order': False, 'shape': (" + dims
        + "), }");
    // The header is padded with spaces so that the data starts at a multiple of 64 bytes, and ends in a newline.
    int total = MAGIC.length + 2 + text.length() + 1;
    text.append(" ".repeat((64 - total % 64) % 64)).append('\n');
    DataOutputStream data = new DataOutputStream(out);
    data.write(MAGIC);
    byte[] headerBytes = text.toString().getBytes(StandardCharsets.US_ASCII);
    data.write(headerBytes.length & 0xff);
    data.write(headerBytes.length >>> 8);
    data.write(headerBytes);
    data.flush();
  }
}
