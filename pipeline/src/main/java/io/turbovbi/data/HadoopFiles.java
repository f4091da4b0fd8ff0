package io.turbovbi.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Input files through the Hadoop FileSystem API, so that a local path, {@code file://} and {@code hdfs://} all work.
 * One place for the existence checks, for how a directory of part files is listed, and for recognising gzip.
 */
final class HadoopFiles {

  /** Read buffer for data files: large enough for bulk reads from HDFS. */
  static final int BUFFER_BYTES = 1 << 16;
  /** First two bytes of every gzip stream (RFC 1952). */
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private HadoopFiles() {}

  /** A data file found under a path, with the name to use in error messages. */
  record DataFile(FileSystem fs, Path path, String displayName) {

    /** Opens the file; the caller closes the stream. */
    InputStream open() {
      try {
        return fs.open(path, BUFFER_BYTES);
      } catch (IOException e) {
        throw new UncheckedIOException(displayName + ": cannot open: " + e.getMessage(), e);
      }
    }

    /** The file's length in bytes (as stored: compressed if it is gzip). */
    long length() {
      try {
        return fs.getFileStatus(path).getLen();
      } catch (IOException e) {
        throw new UncheckedIOException(displayName + ": cannot read its length: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The single regular file at {@code pathText}.
   *
   * @throws InvalidDataException if nothing exists there or it is a directory
   */
  static DataFile file(String pathText, Configuration conf) {
    FileStatus status = status(pathText, conf);
    if (status.isDirectory()) {
      throw InvalidDataException.in(pathText, "is a directory, expected a file");
    }
    return new DataFile(fileSystem(pathText, conf), status.getPath(), pathText);
  }

  /**
   * The file at {@code pathText}, or the part files of the directory at {@code pathText} in name order. Names that
   * start with '_' or '.' ({@code _SUCCESS}, {@code .crc} files) are skipped, as Hadoop and Spark do.
   *
   * @throws InvalidDataException if nothing exists there, the directory holds no data file, or it holds a
   *     sub-directory (partitioned layouts are not read)
   */
  static List<DataFile> fileOrPartFiles(String pathText, Configuration conf) {
    FileStatus status = status(pathText, conf);
    FileSystem fs = fileSystem(pathText, conf);
    if (!status.isDirectory()) {
      return List.of(new DataFile(fs, status.getPath(), pathText));
    }
    FileStatus[] children;
    try {
      children = fs.listStatus(status.getPath());
    } catch (IOException e) {
      throw new UncheckedIOException(pathText + ": cannot list directory: " + e.getMessage(), e);
    }
    Arrays.sort(children, Comparator.comparing((FileStatus child) -> child.getPath().getName()));
    List<DataFile> files = new ArrayList<>();
    for (FileStatus child : children) {
      String name = child.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (child.isDirectory()) {
        throw InvalidDataException.in(pathText,
            "holds the sub-directory '" + name + "'; only a flat directory of part files can be read");
      }
      files.add(new DataFile(fs, child.getPath(), child.getPath().toString()));
    }
    if (files.isEmpty()) {
      throw InvalidDataException.in(pathText, "directory holds no data files (names starting with '_' or '.' "
          + "are skipped)");
    }
    return files;
  }

  /**
   * {@code raw}, buffered, and decompressed if it starts with the gzip magic bytes (RFC 1952: 0x1f 0x8b), whatever
   * the file is called. Closing the result closes {@code raw}.
   *
   * @throws InvalidDataException if the stream starts like gzip but its gzip header is corrupt
   */
  static InputStream decodeGzipIfPresent(InputStream raw, String displayName) {
    BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
    try {
      buffered.mark(2);
      int b1 = buffered.read();
      int b2 = buffered.read();
      buffered.reset();
      if (b1 != GZIP_MAGIC_1 || b2 != GZIP_MAGIC_2) {
        return buffered;
      }
      try {
        return new GZIPInputStream(buffered, BUFFER_BYTES);
      } catch (ZipException | EOFException e) {
        throw InvalidDataException.in(displayName, "corrupt gzip: bad gzip header (" + e.getMessage() + ")", e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(displayName + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Whether {@code stream} is a gzip decoder made by {@link #decodeGzipIfPresent}. */
  static boolean isGzip(InputStream stream) {
    return stream instanceof GZIPInputStream;
  }

  private static FileStatus status(String pathText, Configuration conf) {
    if (pathText == null || pathText.isBlank()) {
      throw new InvalidDataException("no input path given (the path is empty)");
    }
    Path path = new Path(pathText);
    FileSystem fs = fileSystem(pathText, conf);
    try {
      if (!fs.exists(path)) {
        throw InvalidDataException.in(pathText, "no such file or directory");
      }
      return fs.getFileStatus(path);
    } catch (IOException e) {
      throw new UncheckedIOException(pathText + ": cannot read file status: " + e.getMessage(), e);
    }
  }

  private static FileSystem fileSystem(String pathText, Configuration conf) {
    try {
      return new Path(pathText).getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException(pathText + ": no file system for this path: " + e.getMessage(), e);
    }
  }
}
