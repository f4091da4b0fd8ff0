package io.turbovbi.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.sql.SparkSession;

/**
 * A stage's {@code metadata/} folder exactly as Spark ML's own writer makes it (class, timestamp, Spark version,
 * uid, paramMap, defaultParamMap; one JSON line in a text file), with this project's fields added beside Spark's:
 * {@value #FORMAT_VERSION_FIELD} and whatever a stage adds. So Spark's readers (PipelineModel, CrossValidatorModel)
 * find it, and ours refuse a folder of another class or format version with a message that says which.
 */
final class ParamsMetadata {
  static final String FOLDER = "metadata";
  static final String FORMAT_VERSION_FIELD = "turbovbiFormatVersion";
  /** Where the stages lived before the ML API had a package of its own; their saved folders name this package. */
  private static final String FORMER_PACKAGE = "io.turbovbi.spark.";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParamsMetadata() {}

  /** Spark's metadata of {@code stage} with {@code extra}'s fields and the format version added. */
  static void write(Params stage, String path, SparkSession session, int formatVersion, ObjectNode extra) {
    ObjectNode metadata;
    try {
      metadata = (ObjectNode) JSON.readTree(DefaultParamsWriter.getMetadataToSave(stage, session));
    } catch (IOException e) {
      throw new UncheckedIOException("Spark's metadata of " + stage.uid() + " is not JSON", e);
    }
    metadata.put(FORMAT_VERSION_FIELD, formatVersion);
    metadata.setAll(extra);
    JavaSparkContext.fromSparkContext(session.sparkContext()).parallelize(List.of(metadata.toString()), 1)
        .saveAsTextFile(new Path(path, FOLDER).toString());
  }

  /**
   * The metadata of the stage saved under {@code path}, read without Spark (any Hadoop file system). A stage saved
   * under its former class name (package io.turbovbi.spark, same simple name) is read as well.
   *
   * @throws IllegalArgumentException if there is none, it is of another class, or of another format version
   */
  static JsonNode read(Configuration hadoop, String path, Class<?> expected, int formatVersion) {
    Path folder = new Path(path, FOLDER);
    JsonNode metadata;
    try {
      FileSystem fs = folder.getFileSystem(hadoop);
      if (!fs.exists(folder)) {
        throw new IllegalArgumentException(path + " holds no saved " + expected.getSimpleName() + ": " + FOLDER
            + "/ is missing");
      }
      FileStatus[] parts = fs.listStatus(folder, file -> file.getName().startsWith("part-"));
      Arrays.sort(parts);
      String line = null;
      for (FileStatus part : parts) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(part.getPath()),
            StandardCharsets.UTF_8))) {
          line = in.readLine();
        }
        if (line != null) {
          break;
        }
      }
      if (line == null) {
        throw new IllegalArgumentException(folder + " holds no metadata line");
      }
      metadata = JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder + ": " + e.getMessage(), e);
    }
    String type = metadata.path("class").asText();
    if (!type.equals(expected.getName()) && !type.equals(FORMER_PACKAGE + expected.getSimpleName())) {
      throw new IllegalArgumentException(path + " holds a " + type + ", not a " + expected.getSimpleName());
    }
    int version = metadata.path(FORMAT_VERSION_FIELD).asInt(-1);
    if (version != formatVersion) {
      throw new IllegalArgumentException(path + " was saved in " + expected.getSimpleName() + " format " + version
          + "; this version reads format " + formatVersion);
    }
    return metadata;
  }

  /** Sets the params (explicit and default) recorded in {@code metadata} on {@code stage}, as Spark's reader does. */
  static void setParams(Params stage, JsonNode metadata) {
    DefaultParamsReader.parseMetadata(metadata.toString(), metadata.path("class").asText())
        .getAndSetParams(stage, scala.Option.empty());
  }
}
