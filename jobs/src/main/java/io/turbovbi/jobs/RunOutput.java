package io.turbovbi.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one place that writes a run's outputs, through the Hadoop FileSystem API (local paths, file://, hdfs://).
 * Everything is written under a temporary name first and renamed when complete, so that a reader, or a run that is
 * killed, only ever sees complete checkpoints and a complete result:
 * <pre>
 *   OUTPUT/checkpoints/iteration-0003/state.bin   written as checkpoints/.iteration-0003.tmp-UUID, then renamed
 *   OUTPUT/result/...                             written as .result.tmp-UUID, then renamed
 * </pre>
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

    public void file(String relativePath, Content content) throws IOException {
      try (OutputStream out = fs.create(new Path(root, relativePath), false)) {
        content.writeTo(out);
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
  static final String PAUSE_BEFORE_RENAME = "turbovbi.test.pauseBeforeRenameMs";
  static final String CHECKPOINTS = "checkpoints";
  static final String RESULT = "result";
  private static final String CHECKPOINT_PREFIX = "iteration-";

  private final FileSystem fs;
  private final Path root;

  public RunOutput(String location, Configuration hadoop) {
    try {
      this.root = new Path(location);
      this.fs = root.getFileSystem(hadoop);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("cannot use output location " + location + ": " + e.getMessage());
    }
  }

  public String location() {
    return fs.makeQualified(root).toString();
  }

  /**
   * Makes the location ready for a run: a missing or empty location is created; a non-empty one is refused unless
   * the run resumes (its checkpoints are kept) or overwrites (it is deleted).
   */
  public void prepare(boolean overwrite, boolean resume) {
    try {
      if (fs.exists(root)) {
        if (!fs.getFileStatus(root).isDirectory()) {
          throw new ConfigException("output location " + location() + " is a file, not a directory");
        }
        boolean empty = fs.listStatus(root).length == 0;
        if (!empty && overwrite) {
          if (!fs.delete(root, true)) {
            throw new ConfigException("cannot delete output location " + location() + " to overwrite it");
          }
        } else if (!empty && !resume) {
          throw new ConfigException("output location " + location() + " exists and is not empty: pass --overwrite "
              + "to replace it or --resume to continue the run it holds");
        }
      }
      if (!fs.mkdirs(root)) {
        throw new ConfigException("cannot create output location " + location());
      }
      Path probe = new Path(root, ".write-test-" + UUID.randomUUID());
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException e) {
      throw new ConfigException("cannot write to output location " + location() + ": " + e.getMessage());
    }
  }

  /** Writes a checkpoint atomically and deletes the older ones. */
  public void writeCheckpoint(int iteration, Content content) {
    Path checkpoints = new Path(root, CHECKPOINTS);
    String name = String.format("%s%04d", CHECKPOINT_PREFIX, iteration);
    writeDirectory(new Path(checkpoints, name), directory -> directory.file("state.bin", content));
    try {
      for (FileStatus status : fs.listStatus(checkpoints)) {
        String other = status.getPath().getName();
        if (!other.equals(name) && (other.startsWith(CHECKPOINT_PREFIX) || other.startsWith("."))) {
          fs.delete(status.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean old checkpoints in " + checkpoints, e);
    }
  }

  /** Opens the newest complete checkpoint, if there is one. */
  public Optional<InputStream> latestCheckpoint() {
    Path checkpoints = new Path(root, CHECKPOINTS);
    try {
      if (!fs.exists(checkpoints)) {
        return Optional.empty();
      }
      Optional<Path> newest = Arrays.stream(fs.listStatus(checkpoints)).map(FileStatus::getPath)
          .filter(p -> p.getName().startsWith(CHECKPOINT_PREFIX))
          .max(Comparator.comparing(Path::getName));
      return newest.isEmpty() ? Optional.empty() : Optional.of(fs.open(new Path(newest.get(), "state.bin")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + checkpoints, e);
    }
  }

  public boolean hasResult() {
    try {
      return fs.exists(new Path(root, RESULT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the result directory atomically. */
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

  private void writeDirectory(Path target, DirectoryContent content) {
    Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      if (!fs.mkdirs(temporary)) {
        throw new IOException("cannot create " + temporary);
      }
      content.writeTo(new Directory(fs, temporary));
      pauseForTests();
      if (fs.exists(target) && !fs.delete(target, true)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(temporary, target)) {
        throw new IOException("cannot rename " + temporary + " to " + target);
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
