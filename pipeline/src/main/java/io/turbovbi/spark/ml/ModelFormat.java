package io.turbovbi.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * The saved form of a {@link CompressedNetworkModel}, in Spark ML's params layout: {@code metadata/} as Spark writes
 * it (class, Spark version, uid, every param) with this format's version, the network, the input contract (shape,
 * classes), the parameter count and CRC-32 and the provenance added; and {@code data/params.bin} (the parameters,
 * little-endian float32) beside it. A folder from another class or format version, or with missing, truncated or
 * altered data, is refused with a message saying which.
 */
final class ModelFormat {
  /** 2: Spark's metadata/ folder (1 was a metadata.json of this project's own). */
  static final int VERSION = 2;
  private static final String PARAMS = "data/params.bin";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFormat() {}

  static long nonZeros(float[] values) {
    long n = 0;
    for (float v : values) {
      n += v != 0f ? 1 : 0;
    }
    return n;
  }

  static final class Writer extends MLWriter {
    private final CompressedNetworkModel model;

    Writer(CompressedNetworkModel model) {
      this.model = model;
    }

    /** Writes into a temporary folder beside the target and renames it, so no half-written model is ever seen. */
    @Override
    public void saveImpl(String path) {
      Path target = new Path(path);
      try {
        FileSystem fs = target.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        byte[] params = bytes(model.data().params());
        try (OutputStream out = fs.create(new Path(temporary, PARAMS), false)) {
          out.write(params);
        }
        ParamsMetadata.write(model, temporary.toString(), sparkSession(), VERSION, fields(params));
        if (!fs.rename(temporary, target)) {
          fs.delete(temporary, true);
          throw new IOException("cannot rename " + temporary + " to " + target);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model to " + path + ": " + e.getMessage(), e);
      }
    }

    private ObjectNode fields(byte[] params) {
      CompressedNetworkModel.ModelData data = model.data();
      ObjectNode fields = JSON.createObjectNode();
      fields.put("network", data.description());
      fields.putArray("input").add(data.channels()).add(data.height()).add(data.width());
      fields.put("classes", data.classes());
      fields.put("parameters", data.params().length);
      CRC32 crc = new CRC32();
      crc.update(params);
      fields.put("crc32", crc.getValue());
      ObjectNode provenance = fields.putObject("provenance");
      data.provenance().forEach(provenance::put);
      return fields;
    }
  }

  /** What a saved model folder holds: its uid, what it computes, and its metadata (params included). */
  record Saved(String uid, CompressedNetworkModel.ModelData data, JsonNode metadata) {}

  /** Reads a saved model without Spark (e.g. for inference outside a cluster). */
  static Saved read(Configuration hadoop, String path) {
    JsonNode metadata = ParamsMetadata.read(hadoop, path, CompressedNetworkModel.class, VERSION);
    Path root = new Path(path);
    try {
      FileSystem fs = root.getFileSystem(hadoop);
      int count = metadata.path("parameters").asInt(-1);
      float[] params = readParams(fs, new Path(root, PARAMS), count, metadata.path("crc32").asLong());
      JsonNode input = metadata.path("input");
      Map<String, String> provenance = new LinkedHashMap<>();
      metadata.path("provenance").fields().forEachRemaining(e -> provenance.put(e.getKey(), e.getValue().asText()));
      return new Saved(metadata.path("uid").asText(), new CompressedNetworkModel.ModelData(
          metadata.path("network").asText(), input.path(0).asInt(), input.path(1).asInt(), input.path(2).asInt(),
          metadata.path("classes").asInt(), params, Map.copyOf(provenance)), metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model from " + path + ": " + e.getMessage(), e);
    }
  }

  static final class Reader extends MLReader<CompressedNetworkModel> {
    @Override
    public CompressedNetworkModel load(String path) {
      Saved saved = read(sc().hadoopConfiguration(), path);
      CompressedNetworkModel model = new CompressedNetworkModel(saved.uid(), saved.data());
      ParamsMetadata.setParams(model, saved.metadata());
      try {
        model.checkInputContract();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
      }
      return model;
    }
  }

  private static float[] readParams(FileSystem fs, Path file, int count, long crc32) throws IOException {
    if (!fs.exists(file)) {
      throw new IllegalArgumentException(file + " is missing");
    }
    long length = fs.getFileStatus(file).getLen();
    if (count < 0 || length != 4L * count) {
      throw new IllegalArgumentException(file + " holds " + length + " bytes, the metadata promises " + count
          + " parameters (" + 4L * count + " bytes): the model is truncated or damaged");
    }
    byte[] bytes = new byte[(int) length];
    try (DataInputStream in = new DataInputStream(fs.open(file))) {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is truncated");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (crc.getValue() != crc32) {
      throw new IllegalArgumentException(file + " does not match its checksum: the model is damaged");
    }
    float[] params = new float[count];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(params);
    return params;
  }

  private static byte[] bytes(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }
}
