package io.turbovbi.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoded protocol-buffers message (https://protobuf.dev/programming-guides/encoding/): its fields in the order
 * they came, read by field number. Repeated scalars are accepted packed and unpacked, as the format requires of a
 * reader; a field that occurs more than once where one value is asked for gives its last value, as protobuf does.
 */
final class ProtoReader {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  /** One field occurrence: a number for varint and fixed-width types, bytes for length-delimited ones. */
  private record Field(int number, int wireType, long value, byte[] bytes) {}

  private final List<Field> fields;

  private ProtoReader(List<Field> fields) {
    this.fields = fields;
  }

  /**
   * Decodes one message.
   *
   * @throws IllegalArgumentException if the bytes are not a well-formed message
   */
  static ProtoReader parse(byte[] data) {
    List<Field> fields = new ArrayList<>();
    int[] position = {0};
    while (position[0] < data.length) {
      long tag = varint(data, position);
      int number = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (number <= 0) {
        throw new IllegalArgumentException("not a protocol-buffers message: field number " + number);
      }
      switch (wireType) {
        case VARINT -> fields.add(new Field(number, wireType, varint(data, position), null));
        case FIXED64 -> fields.add(new Field(number, wireType, fixed(data, position, 8), null));
        case FIXED32 -> fields.add(new Field(number, wireType, fixed(data, position, 4), null));
        case LENGTH_DELIMITED -> {
          long length = varint(data, position);
          if (length < 0 || length > data.length - position[0]) {
            throw new IllegalArgumentException("not a protocol-buffers message: field " + number + " claims "
                + length + " bytes, " + (data.length - position[0]) + " are left");
          }
          byte[] bytes = new byte[(int) length];
          System.arraycopy(data, position[0], bytes, 0, bytes.length);
          position[0] += bytes.length;
          fields.add(new Field(number, wireType, 0, bytes));
        }
        default -> throw new IllegalArgumentException("not a protocol-buffers message: wire type " + wireType
            + " of field " + number);
      }
    }
    return new ProtoReader(fields);
  }

  boolean has(int number) {
    return fields.stream().anyMatch(f -> f.number() == number);
  }

  /** The last value of a varint field, or {@code fallback}. */
  long integer(int number, long fallback) {
    long value = fallback;
    for (Field f : fields) {
      if (f.number() == number && f.wireType() == VARINT) {
        value = f.value();
      }
    }
    return value;
  }

  /** The last value of a float field, or {@code fallback}. */
  float real(int number, float fallback) {
    float value = fallback;
    for (Field f : fields) {
      if (f.number() == number && f.wireType() == FIXED32) {
        value = Float.intBitsToFloat((int) f.value());
      }
    }
    return value;
  }

  /** The last value of a string field, or {@code fallback}. */
  String string(int number, String fallback) {
    byte[] bytes = bytes(number);
    return bytes == null ? fallback : new String(bytes, StandardCharsets.UTF_8);
  }

  List<String> strings(int number) {
    List<String> values = new ArrayList<>();
    for (Field f : fields) {
      if (f.number() == number && f.wireType() == LENGTH_DELIMITED) {
        values.add(new String(f.bytes(), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  /** The last value of a bytes field, or null. */
  byte[] bytes(int number) {
    byte[] value = null;
    for (Field f : fields) {
      if (f.number() == number && f.wireType() == LENGTH_DELIMITED) {
        value = f.bytes();
      }
    }
    return value;
  }

  /** The last message of a message field, or null. */
  ProtoReader message(int number) {
    byte[] bytes = bytes(number);
    return bytes == null ? null : parse(bytes);
  }

  List<ProtoReader> messages(int number) {
    List<ProtoReader> values = new ArrayList<>();
    for (Field f : fields) {
      if (f.number() == number && f.wireType() == LENGTH_DELIMITED) {
        values.add(parse(f.bytes()));
      }
    }
    return values;
  }

  /** All values of a repeated varint field, packed or not (int32 and int64 alike). */
  long[] integers(int number) {
    List<Long> values = new ArrayList<>();
    for (Field f : fields) {
      if (f.number() != number) {
        continue;
      }
      if (f.wireType() == VARINT) {
        values.add(f.value());
      } else if (f.wireType() == LENGTH_DELIMITED) {
        int[] position = {0};
        while (position[0] < f.bytes().length) {
          values.add(varint(f.bytes(), position));
        }
      }
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /** All values of a repeated float field, packed or not. */
  float[] reals(int number) {
    List<float[]> parts = new ArrayList<>();
    int count = 0;
    for (Field f : fields) {
      if (f.number() != number) {
        continue;
      }
      float[] part;
      if (f.wireType() == FIXED32) {
        part = new float[] {Float.intBitsToFloat((int) f.value())};
      } else if (f.wireType() == LENGTH_DELIMITED) {
        part = littleEndianFloats(f.bytes());
      } else {
        continue;
      }
      parts.add(part);
      count += part.length;
    }
    float[] values = new float[count];
    int offset = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, values, offset, part.length);
      offset += part.length;
    }
    return values;
  }

  /** All values of a repeated double field, packed or not. */
  double[] doubles(int number) {
    List<Double> values = new ArrayList<>();
    for (Field f : fields) {
      if (f.number() != number) {
        continue;
      }
      if (f.wireType() == FIXED64) {
        values.add(Double.longBitsToDouble(f.value()));
      } else if (f.wireType() == LENGTH_DELIMITED) {
        ByteBuffer buffer = ByteBuffer.wrap(f.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.remaining() >= 8) {
          values.add(buffer.getDouble());
        }
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Little-endian float32 values, as packed floats and ONNX's raw_data hold them. */
  static float[] littleEndianFloats(byte[] bytes) {
    if (bytes.length % 4 != 0) {
      throw new IllegalArgumentException(bytes.length + " bytes are not a whole number of float32 values");
    }
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  private static long varint(byte[] data, int[] position) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position[0] >= data.length) {
        throw new IllegalArgumentException("not a protocol-buffers message: it ends inside a number");
      }
      byte b = data[position[0]++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("not a protocol-buffers message: a number longer than 10 bytes");
  }

  private static long fixed(byte[] data, int[] position, int width) {
    if (data.length - position[0] < width) {
      throw new IllegalArgumentException("not a protocol-buffers message: it ends inside a fixed-width number");
    }
    long value = 0;
    for (int i = 0; i < width; i++) {
      value |= (long) (data[position[0] + i] & 0xFF) << (8 * i);
    }
    position[0] += width;
    return value;
  }
}
