package io.turbovbi.spark.ml;

import io.turbovbi.compress.OnnxImport;
import io.turbovbi.data.ImageShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The network a compression starts from: the description, input shape and classes of the params, initialised at
 * random; or a trained network read from an ONNX file, whose graph gives the description and whose weights the
 * starting means.
 *
 * @param params the deterministic network's parameters (null: a random initialisation)
 */
public record StartingNetwork(String description, ImageShape shape, int classes, float[] params) {
  /**
   * The start the params ask for: their network, or their {@code initialNetwork} file (local or any Hadoop file
   * system), whose input shape and classes must then agree with the params' when those are set explicitly.
   *
   * @throws IllegalArgumentException if the file cannot be imported or disagrees with the params
   */
  public static StartingNetwork of(TurboVbiParams params, Configuration hadoop) {
    String path = params.getInitialNetwork();
    if (path.isEmpty()) {
      return new StartingNetwork(params.getNetwork(), params.getImageShape(), params.getClasses(), null);
    }
    OnnxImport.Imported imported = read(hadoop, path);
    if (params.isSet(params.imageShape())) {
      imported = imported.withShape(params.getImageShape());
    }
    int classes = imported.network().network().classes();
    if (params.isSet(params.classes()) && params.getClasses() != classes) {
      throw new IllegalArgumentException(path + " has " + classes + " classes, the params say " + params.getClasses());
    }
    return new StartingNetwork(imported.network().spec().toString(), imported.shape(), classes,
        imported.network().params());
  }

  /** Imports an ONNX file; errors name the file. */
  public static OnnxImport.Imported read(Configuration hadoop, String path) {
    Path file = new Path(path);
    byte[] bytes;
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      if (!fs.exists(file)) {
        throw new IllegalArgumentException("the starting network " + path + " does not exist");
      }
      try (InputStream in = fs.open(file)) {
        bytes = in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the starting network " + path + ": " + e.getMessage(), e);
    }
    try {
      return OnnxImport.read(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }
}
