package io.turbovbi.spark.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.turbo.IterationRecord;
import io.turbovbi.turbo.TurboVbi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The saved form of a {@link Checkpoint}: plain data, never Java objects. One file:
 * <pre>
 *   int32 (big-endian)   length H of the header
 *   H bytes              header, JSON: format name and version, run id, the settings that change the result,
 *                        network, counters, the history (one JSON object per iteration) and the table of arrays
 *   raw arrays           the loop state, parameters and optimiser buffers ({@link NamedArrays}, little-endian)
 *   int32 (big-endian)   CRC32C of everything before it
 * </pre>
 * A file that is truncated, altered, of another format or version, or whose arrays do not fit the table, is refused
 * with an {@link IllegalArgumentException} saying which; nothing is allocated beyond the file's own size.
 */
public final class CheckpointFormat {
  static final String FORMAT = "turbovbi-checkpoint";
  static final int VERSION = 2;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<IterationRecord>> HISTORY = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> SETTINGS = new TypeReference<>() {};

  /**
   * A checkpoint as read back, with what the writing run recorded about itself.
   *
   * @param run the id of the run that wrote it (kept across resumptions)
   * @param settings every setting that changes the result, as the writing run had them
   */
  public record Saved(Checkpoint checkpoint, String run, Map<String, String> settings) {}

  private CheckpointFormat() {}

  public static void write(Saved saved, OutputStream out) throws IOException {
    Checkpoint checkpoint = saved.checkpoint();
    NamedArrays arrays = arrays(checkpoint);
    ObjectNode header = JSON.createObjectNode().put("format", FORMAT).put("version", VERSION)
        .put("run", saved.run()).put("network", checkpoint.network())
        .put("iteration", checkpoint.loop().iteration()).put("epochs_done", checkpoint.epochsDone())
        .put("optimizer_steps", checkpoint.optimizer().steps());
    header.set("settings", JSON.valueToTree(saved.settings()));
    header.set("history", JSON.valueToTree(checkpoint.loop().history()));
    header.set("arrays", arrays.table(JSON));
    byte[] headerBytes = JSON.writeValueAsBytes(header);
    byte[] values = arrays.values();
    ByteBuffer file = ByteBuffer.allocate(4 + headerBytes.length + values.length + 4);
    file.putInt(headerBytes.length).put(headerBytes).put(values);
    CRC32C crc = new CRC32C();
    crc.update(file.array(), 0, file.position());
    file.putInt((int) crc.getValue());
    out.write(file.array());
  }

  /**
   * Reads a checkpoint file's bytes.
   *
   * @throws IllegalArgumentException if the bytes are not a complete, unaltered checkpoint of this format version
   */
  public static Saved read(byte[] bytes) {
    if (bytes.length < 8) {
      throw new IllegalArgumentException("truncated: " + bytes.length + " bytes");
    }
    ByteBuffer file = ByteBuffer.wrap(bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != file.getInt(bytes.length - 4)) {
      throw new IllegalArgumentException("CRC32C mismatch: the file is truncated or altered");
    }
    int headerLength = file.getInt();
    if (headerLength < 2 || headerLength > bytes.length - 8) {
      throw new IllegalArgumentException("header length " + headerLength + " does not fit a file of "
          + bytes.length + " bytes");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 4, headerLength, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the header is not JSON: " + e.getOriginalMessage());
    }
    if (!FORMAT.equals(header.path("format").asText())) {
      throw new IllegalArgumentException("not a checkpoint of this project");
    }
    if (header.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException("checkpoint format " + header.path("version") + ", this version reads "
          + VERSION);
    }
    NamedArrays arrays = NamedArrays.read(header.get("arrays"),
        ByteBuffer.wrap(bytes, 4 + headerLength, bytes.length - 8 - headerLength).slice());
    try {
      List<IterationRecord> history = JSON.convertValue(header.get("history"), HISTORY);
      Map<String, String> settings = JSON.convertValue(header.get("settings"), SETTINGS);
      Checkpoint checkpoint = checkpoint(header, arrays, history);
      return new Saved(checkpoint, header.path("run").asText(), settings == null ? Map.of() : settings);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("malformed content: " + e.getMessage());
    }
  }

  // The one place that lists what a checkpoint holds; the loop's and optimiser's own restore() check the shapes.
  private static NamedArrays arrays(Checkpoint checkpoint) {
    TurboVbi.State loop = checkpoint.loop();
    NamedArrays arrays = new NamedArrays().put("params", new float[][] {checkpoint.params()})
        .put("optimizer", checkpoint.optimizer().buffers()).put("pi", loop.pi()).put("pit", loop.pit())
        .put("precision", loop.precision()).put("second_moment", loop.secondMoment())
        .put("messages", loop.messages()).put("previous_means", loop.previousMeans())
        .put("previous_pit", loop.previousPit()).put("controller", new double[][] {loop.controller()});
    for (int k = 0; k < loop.moduleA().length; k++) {
      arrays.put("module_a." + k, loop.moduleA()[k]);
    }
    return arrays;
  }

  private static Checkpoint checkpoint(JsonNode header, NamedArrays arrays, List<IterationRecord> history) {
    double[][] pi = required(arrays.doubles("pi"), "pi");
    double[][][] moduleA = new double[pi.length][][];
    for (int k = 0; k < moduleA.length; k++) {
      moduleA[k] = required(arrays.doubles("module_a." + k), "module_a." + k);
    }
    TurboVbi.State loop = new TurboVbi.State(header.path("iteration").asInt(), pi,
        required(arrays.doubles("pit"), "pit"), required(arrays.doubles("precision"), "precision"),
        required(arrays.doubles("second_moment"), "second_moment"), required(arrays.doubles("messages"), "messages"),
        moduleA, arrays.doubles("previous_means"), arrays.doubles("previous_pit"),
        required(arrays.doubles("controller"), "controller")[0], List.copyOf(history));
    float[][] params = required(arrays.floats("params"), "params");
    if (params.length != 1 || params[0] == null) {
      throw new IllegalArgumentException("params must be one array");
    }
    return new Checkpoint(header.path("network").asText(), loop, params[0],
        new Optimizer.State(header.path("optimizer_steps").asLong(), required(arrays.floats("optimizer"),
            "optimizer")), header.path("epochs_done").asInt());
  }

  private static <T> T required(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("no array " + name);
    }
    return value;
  }
}
