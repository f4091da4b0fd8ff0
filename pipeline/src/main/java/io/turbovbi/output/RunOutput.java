package io.turbovbi.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one place that writes a run's outputs, through the Hadoop FileSystem API (local paths, file://, hdfs://).
 * Everything is written under a temporary name first, synced, and renamed when complete, so that a reader, or a run
 * that is killed, only ever sees complete checkpoints and a complete result:
 * <pre>
 *   OUTPUT/.turbovbi-run                          the marker: this folder holds a run of this project
 *   OUTPUT/.turbovbi-lock                         held while a job writes here ({@link OutputLock})
 *   OUTPUT/checkpoints/iteration-0003/state.bin   written as checkpoints/.iteration-0003.tmp-UUID, then renamed;
 *                                                 the newest two are kept
 *   OUTPUT/result/...                             written as .result.tmp-UUID; the previous result is renamed
 *                                                 away only once the new one is complete
 * </pre>
 * Only a folder with the marker (or an empty one) is ever written to, and nothing outside it is deleted.
 */
public final class RunOutput {
  /** Writes one file's content to a stream. */
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes the files of a directory, through {@link Directory#file}. */
  public interface DirectoryContent {
    void writeTo(Directory directory) throws IOException;
  }

  /** A directory being written. */
  public static final class Directory {
    private final FileSystem fs;
    private final Path root;

    private Directory(FileSystem fs, Path root) {
      this.fs = fs;
      this.root = root;
    }

    /** Writes a file and syncs it to storage (hsync: fsync locally, to the DataNodes' disks on HDFS). */
    public void file(String relativePath, Content content) throws IOException {
      try (FSDataOutputStream out = fs.create(new Path(root, relativePath), false)) {
        content.writeTo(out);
        out.hsync();
      }
    }

    /** The path (URI) of a file in the directory, for writers that take a path (e.g. Spark ML's save). */
    public String path(String relativePath) {
      return new Path(root, relativePath).toString();
    }
  }

  /**
   * Test-only system property: milliseconds to wait after writing a directory under its temporary name and before
   * renaming it, so that fault tests can kill the job in the middle of a write.
   */
  public static final String PAUSE_BEFORE_RENAME = "turbovbi.test.pauseBeforeRenameMs";
  public static final String MARKER = ".turbovbi-run";
  static final String CHECKPOINTS = "checkpoints";
  static final String RESULT = "result";
  static final String STATE = "state.bin";
  private static final int CHECKPOINTS_KEPT = 2;
  private static final Pattern CHECKPOINT_NAME = Pattern.compile("iteration-(\\d+)");
  private static final String OLD_RESULT = "." + RESULT + ".old-";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path root;

  public RunOutput(String location, Configuration hadoop) {
    try {
      this.root = new Path(location);
      this.fs = root.getFileSystem(hadoop);
    } catch (IOException | IllegalArgumentException e) {
      throw new OutputException("cannot use output location " + location + ": " + e.getMessage());
    }
  }

  public String location() {
    return fs.makeQualified(root).toString();
  }

  /**
   * Takes the output's lock (see {@link OutputLock}) in the name of {@code application}; {@code say} is told of a
   * stale lock removed.
   */
  public OutputLock lock(String application, Consumer<String> say) {
    try {
      if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
        throw new OutputException("output location " + location() + " is a file, not a directory");
      }
      return OutputLock.acquire(fs, root, location(), application, say);
    } catch (IOException e) {
      throw new OutputException("cannot write to output location " + location() + ": " + e.getMessage());
    }
  }

  /**
   * Makes the locked location ready for a run. A non-empty location must carry the marker of a run of this project,
   * and is refused unless the run resumes (its checkpoints are kept) or overwrites (the old checkpoints are deleted;
   * the old result stays until the new one replaces it). Temporary folders of killed runs are removed.
   *
   * @param names how the front end calls the settings {@code overwrite} and {@code resume}, for messages
   */
  public void prepare(boolean overwrite, boolean resume, UnaryOperator<String> names) {
    try {
      boolean empty = Arrays.stream(fs.listStatus(root)).allMatch(s -> s.getPath().getName().equals(OutputLock.NAME));
      boolean ours = fs.exists(new Path(root, MARKER));
      if (!empty && !ours) {
        throw new OutputException("output location " + location() + " is not empty and holds no run of turbovbi "
            + "(no " + MARKER + " marker): refusing to " + (overwrite ? "overwrite" : resume ? "resume in" : "use")
            + " it; choose another output");
      }
      if (!empty && !overwrite && !resume) {
        throw new OutputException("output location " + location() + " exists and is not empty: pass "
            + names.apply("overwrite") + " to replace it or " + names.apply("resume") + " to continue the run it "
            + "holds");
      }
      if (!ours) {
        try (OutputStream out = fs.create(new Path(root, MARKER), false)) {
          out.write("turbovbi run folder: a run that overwrites may replace what is in it\n"
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      removeTemporaries();
      if (overwrite) {
        fs.delete(new Path(root, CHECKPOINTS), true);
      }
      Path probe = new Path(root, ".write-test-" + UUID.randomUUID());
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException e) {
      throw new OutputException("cannot write to output location " + location() + ": " + e.getMessage());
    }
  }

  /**
   * Removes what killed runs left: temporary folders, and a previous result renamed away but not yet deleted (put
   * back if the new result never arrived).
   */
  private void removeTemporaries() throws IOException {
    Path result = new Path(root, RESULT);
    for (FileStatus status : fs.listStatus(root)) {
      String name = status.getPath().getName();
      if (name.startsWith(OLD_RESULT) && !fs.exists(result)) {
        fs.rename(status.getPath(), result);
      } else if (name.startsWith(OLD_RESULT) || name.startsWith("." + RESULT + ".tmp-")) {
        fs.delete(status.getPath(), true);
      }
    }
    Path checkpoints = new Path(root, CHECKPOINTS);
    if (fs.exists(checkpoints)) {
      for (FileStatus status : fs.listStatus(checkpoints)) {
        if (status.getPath().getName().startsWith(".")) {
          fs.delete(status.getPath(), true);
        }
      }
    }
  }

  /** Writes a checkpoint atomically and deletes all but the newest {@value #CHECKPOINTS_KEPT}. */
  public void writeCheckpoint(int iteration, Content content) {
    Path checkpoints = new Path(root, CHECKPOINTS);
    writeDirectory(new Path(checkpoints, String.format("iteration-%04d", iteration)),
        directory -> directory.file(STATE, content));
    try {
      List<Path> complete = checkpoints();
      for (Path old : complete.subList(Math.min(CHECKPOINTS_KEPT, complete.size()), complete.size())) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean old checkpoints in " + checkpoints + ": " + e.getMessage(), e);
    }
  }

  /** The complete checkpoints, newest (highest iteration) first. */
  private List<Path> checkpoints() throws IOException {
    Path checkpoints = new Path(root, CHECKPOINTS);
    if (!fs.exists(checkpoints)) {
      return List.of();
    }
    List<Path> complete = new ArrayList<>();
    for (FileStatus status : fs.listStatus(checkpoints)) {
      if (CHECKPOINT_NAME.matcher(status.getPath().getName()).matches()) {
        complete.add(status.getPath());
      }
    }
    complete.sort(Comparator.comparingLong(RunOutput::iterationOf).reversed());
    return complete;
  }

  private static long iterationOf(Path checkpoint) {
    Matcher m = CHECKPOINT_NAME.matcher(checkpoint.getName());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * The newest checkpoint that reads back intact; {@code warn} is told of every newer one that does not.
   *
   * @param read reads a checkpoint's bytes, throwing IllegalArgumentException on anything it does not accept
   * @param overwrite how the front end calls starting again, for the message when no checkpoint is usable
   * @throws IllegalArgumentException if there are checkpoints but none is usable
   */
  public <T> Optional<T> newestUsableCheckpoint(Function<byte[], T> read, Consumer<String> warn, String overwrite) {
    List<String> problems = new ArrayList<>();
    try {
      for (Path checkpoint : checkpoints()) {
        try {
          return Optional.of(read.apply(readAll(new Path(checkpoint, STATE))));
        } catch (IOException | IllegalArgumentException e) {
          String problem = checkpoint.getName() + ": " + e.getMessage();
          problems.add(problem);
          warn.accept("checkpoint " + problem + "; falling back to the one before");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoints in " + location() + ": " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("no usable checkpoint in " + location() + "/" + CHECKPOINTS + " ("
          + String.join("; ", problems) + "): start again with " + overwrite);
    }
    return Optional.empty();
  }

  private byte[] readAll(Path file) throws IOException {
    long length = fs.getFileStatus(file).getLen();
    if (length > Integer.MAX_VALUE - 8) {
      throw new IOException("a checkpoint of " + length + " bytes is larger than this version writes");
    }
    byte[] bytes = new byte[(int) length];
    try (InputStream in = fs.open(file)) {
      int done = in.readNBytes(bytes, 0, bytes.length);
      if (done != length) {
        throw new IOException("read " + done + " of " + length + " bytes");
      }
    }
    return bytes;
  }

  /** The run id recorded in the result's metrics.json, if there is a result that records one. */
  public Optional<String> resultRun() {
    Path metrics = new Path(new Path(root, RESULT), "metrics.json");
    try {
      if (!fs.exists(metrics)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(metrics)) {
        return Optional.of(JSON.readTree(in).path("run").asText()).filter(run -> !run.isEmpty());
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public boolean hasResult() {
    try {
      return fs.exists(new Path(root, RESULT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the result directory atomically; a previous result is replaced only once the new one is complete. */
  public void writeResult(DirectoryContent content) {
    writeDirectory(new Path(root, RESULT), content);
  }

  /** The result directory. */
  public String resultLocation() {
    return fs.makeQualified(new Path(root, RESULT)).toString();
  }

  private static void pauseForTests() {
    long pause = Long.getLong(PAUSE_BEFORE_RENAME, 0);
    if (pause > 0) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Writes {@code target} as a temporary folder, then swaps it in: an existing target is first renamed to
   * {@code .NAME.old-UUID} (which {@link #prepare} puts back if a kill comes between the two renames) and deleted
   * once the new one is in place.
   */
  private void writeDirectory(Path target, DirectoryContent content) {
    Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      if (!fs.mkdirs(temporary)) {
        throw new IOException("cannot create " + temporary);
      }
      content.writeTo(new Directory(fs, temporary));
      pauseForTests();
      Path old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
      boolean replacing = fs.exists(target);
      if (replacing && !fs.rename(target, old)) {
        throw new IOException("cannot move the previous " + target + " aside");
      }
      if (!fs.rename(temporary, target)) {
        throw new IOException("cannot rename " + temporary + " to " + target);
      }
      if (replacing) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      try {
        fs.delete(temporary, true);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
