package io.turbovbi.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;

/**
 * The saved form of a {@link CompressedNetworkModel}, in the manner of Spark ML: a folder with
 * {@code metadata.json} (class, this format's version, the Spark version that wrote it, uid, the network, the
 * column params, the provenance, the parameter count and CRC-32) and {@code data/params.bin} (the parameters,
 * little-endian float32). A folder from another class or format version, or with missing, truncated or altered data,
 * is refused with a message saying which.
 */
final class ModelFormat {
  static final int VERSION = 1;
  private static final String METADATA = "metadata.json";
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
      SparkContext context = sparkSession().sparkContext();
      Path target = new Path(path);
      try {
        FileSystem fs = target.getFileSystem(context.hadoopConfiguration());
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        byte[] params = bytes(model.data().params());
        try (OutputStream out = fs.create(new Path(temporary, PARAMS), false)) {
          out.write(params);
        }
        try (OutputStream out = fs.create(new Path(temporary, METADATA), false)) {
          out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata(context.version(), params)));
        }
        if (!fs.rename(temporary, target)) {
          fs.delete(temporary, true);
          throw new IOException("cannot rename " + temporary + " to " + target);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model to " + path + ": " + e.getMessage(), e);
      }
    }

    private ObjectNode metadata(String sparkVersion, byte[] params) {
      CompressedNetworkModel.ModelData data = model.data();
      ObjectNode root = JSON.createObjectNode();
      root.put("class", CompressedNetworkModel.class.getName());
      root.put("formatVersion", VERSION);
      root.put("sparkVersion", sparkVersion);
      root.put("uid", model.uid());
      root.put("timestamp", System.currentTimeMillis());
      root.put("network", data.description());
      root.putArray("input").add(data.channels()).add(data.height()).add(data.width());
      root.put("classes", data.classes());
      root.put("parameters", data.params().length);
      CRC32 crc = new CRC32();
      crc.update(params);
      root.put("crc32", crc.getValue());
      ObjectNode columns = root.putObject("paramMap");
      for (Param<String> param : columnParams(model)) {
        columns.put(param.name(), model.getOrDefault(param));
      }
      ObjectNode provenance = root.putObject("provenance");
      data.provenance().forEach(provenance::put);
      return root;
    }
  }

  /** What a saved model folder holds. */
  record Saved(String uid, CompressedNetworkModel.ModelData data, Map<String, String> columns) {}

  /** Reads a saved model without Spark (e.g. for inference outside a cluster). */
  static Saved read(Configuration hadoop, String path) {
    Path root = new Path(path);
    try {
      FileSystem fs = root.getFileSystem(hadoop);
      Path metadataPath = new Path(root, METADATA);
      if (!fs.exists(metadataPath)) {
        throw new IllegalArgumentException(path + " holds no saved model: " + METADATA + " is missing");
      }
      JsonNode metadata;
      try (InputStream in = fs.open(metadataPath)) {
        metadata = JSON.readTree(in);
      } catch (IOException e) {
        throw new IllegalArgumentException(metadataPath + " is not readable JSON: " + e.getMessage());
      }
      String type = metadata.path("class").asText();
      if (!type.equals(CompressedNetworkModel.class.getName())) {
        throw new IllegalArgumentException(path + " holds a " + type + ", not a "
            + CompressedNetworkModel.class.getSimpleName());
      }
      int version = metadata.path("formatVersion").asInt(-1);
      if (version != VERSION) {
        throw new IllegalArgumentException(path + " was saved in model format " + version
            + "; this version reads format " + VERSION);
      }
      int count = metadata.path("parameters").asInt(-1);
      float[] params = Reader.readParams(fs, new Path(root, PARAMS), count, metadata.path("crc32").asLong());
      JsonNode input = metadata.path("input");
      Map<String, String> provenance = new LinkedHashMap<>();
      metadata.path("provenance").fields().forEachRemaining(e -> provenance.put(e.getKey(), e.getValue().asText()));
      Map<String, String> columns = new LinkedHashMap<>();
      metadata.path("paramMap").fields().forEachRemaining(e -> columns.put(e.getKey(), e.getValue().asText()));
      return new Saved(metadata.path("uid").asText(), new CompressedNetworkModel.ModelData(
          metadata.path("network").asText(), input.path(0).asInt(), input.path(1).asInt(), input.path(2).asInt(),
          metadata.path("classes").asInt(), params, Map.copyOf(provenance)), columns);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model from " + path + ": " + e.getMessage(), e);
    }
  }

  static final class Reader extends MLReader<CompressedNetworkModel> {
    @Override
    public CompressedNetworkModel load(String path) {
      Saved saved = read(sc().hadoopConfiguration(), path);
      CompressedNetworkModel model = CompressedNetworkModel.restore(saved.uid(), saved.data());
      for (Param<String> param : columnParams(model)) {
        String value = saved.columns().get(param.name());
        if (value != null) {
          model.set(param, value);
        }
      }
      return model;
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
  }

  private static byte[] bytes(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  @SuppressWarnings("unchecked")
  private static Param<String>[] columnParams(CompressedNetworkModel model) {
    return new Param[] {model.featuresCol(), model.predictionCol(), model.probabilityCol(),
        model.rawPredictionCol()};
  }
}
