package io.turbovbi.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per output: the file {@code OUTPUT/.turbovbi-lock}, created atomically (create-new on the local file
 * system, create without overwrite on HDFS, whose NameNode decides), holding the application (with Spark's
 * application id once Spark runs), host, process id, user and start time of the run that writes the output. A lock
 * left by a run on this host whose process is gone is removed; any other is cleared by deleting the file (README,
 * Outputs).
 */
public final class OutputLock implements AutoCloseable {
  public static final String NAME = ".turbovbi-lock";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path file;
  private final String application;
  private final Path folderToRemoveIfEmpty;
  private final Instant started = Instant.now();

  private OutputLock(FileSystem fs, Path file, String application, Path folderToRemoveIfEmpty) {
    this.fs = fs;
    this.file = file;
    this.application = application;
    this.folderToRemoveIfEmpty = folderToRemoveIfEmpty;
  }

  /**
   * Takes the lock of {@code root} (created if missing, and removed again on close if this run leaves it empty).
   *
   * @param application who holds the lock, as a second run's refusal names it (e.g. "turbovbi compress")
   * @throws OutputException if another run holds it
   */
  static OutputLock acquire(FileSystem fs, Path root, String location, String application, Consumer<String> say)
      throws IOException {
    boolean created = !fs.exists(root);
    if (!fs.mkdirs(root)) {
      throw new OutputException("cannot create output location " + location);
    }
    Path file = new Path(root, NAME);
    if (!tryCreate(fs, file, application)) {
      JsonNode holder = holder(fs, file);
      if (!stale(holder)) {
        throw new OutputException("output location " + location + " is in use by " + describe(holder)
            + " (lock file " + file + "); if that job is no longer running, delete the lock file and retry");
      }
      say.accept("removing the stale lock of " + describe(holder) + ": that process is gone");
      fs.delete(file, false);
      if (!tryCreate(fs, file, application)) {
        throw new OutputException("output location " + location + " is in use by " + describe(holder(fs, file))
            + " (lock file " + file + ")");
      }
    }
    return new OutputLock(fs, file, application, created ? root : null);
  }

  /** The lock file's content: who holds it. */
  private static byte[] content(String application, Instant started) throws IOException {
    return JSON.writeValueAsBytes(JSON.createObjectNode().put("application", application).put("host", host())
        .put("pid", ProcessHandle.current().pid()).put("user", System.getProperty("user.name"))
        .put("started", started.toString()));
  }

  /** Adds the Spark application id to the lock once Spark runs (the lock is taken before Spark starts). */
  public void recordApplication(String applicationId) {
    try {
      byte[] content = content(application + ", Spark application " + applicationId, started);
      if (fs instanceof LocalFileSystem local) {
        Files.write(local.pathToFile(file).toPath(), content, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
            java.nio.file.StandardOpenOption.WRITE);
      } else {
        try (OutputStream out = fs.create(file, true)) {
          out.write(content);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean tryCreate(FileSystem fs, Path file, String application) throws IOException {
    byte[] content = content(application, Instant.now());
    if (fs instanceof LocalFileSystem local) {
      // Hadoop's local create checks for the file and then creates it: two runs could both pass the check.
      try {
        Files.write(local.pathToFile(file).toPath(), content, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file)) {
        return false;
      }
      throw e;
    }
  }

  private static JsonNode holder(FileSystem fs, Path file) {
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in.readNBytes(64 * 1024));
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static boolean stale(JsonNode holder) {
    return holder.path("host").asText().equals(host()) && holder.path("pid").canConvertToLong()
        && holder.path("pid").asLong() != ProcessHandle.current().pid()
        && ProcessHandle.of(holder.path("pid").asLong()).map(p -> !p.isAlive()).orElse(true);
  }

  private static String describe(JsonNode holder) {
    if (!holder.has("host")) {
      return "another run (its lock file cannot be read)";
    }
    return holder.path("application").asText("a run") + " (process " + holder.path("pid").asText() + " on "
        + holder.path("host").asText() + ", user " + holder.path("user").asText() + ", started "
        + holder.path("started").asText() + ")";
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  /** Releases the lock, and removes the output folder if this run created it and left nothing in it. */
  @Override
  public void close() {
    try {
      fs.delete(file, false);
      if (folderToRemoveIfEmpty != null && fs.listStatus(folderToRemoveIfEmpty).length == 0) {
        fs.delete(folderToRemoveIfEmpty, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock " + file + ": " + e.getMessage(), e);
    }
  }
}
