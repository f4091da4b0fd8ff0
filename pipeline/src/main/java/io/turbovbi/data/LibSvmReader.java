package io.turbovbi.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads LibSVM text into {@link LabeledSamples}: one sample per line, {@code label index:value index:value ...},
 * indices 1-based and strictly increasing, features not listed are 0. Blank lines are skipped, and {@code #} starts
 * a comment that runs to the end of the line. Tokens are separated by spaces or tabs. Files may be gzip-compressed
 * (recognised by the gzip magic bytes).
 *
 * <p>The number of features D is not taken from the data but from the configured shape ({@code shape.size()}), so
 * every file of a data set agrees on it. Labels must be integral numbers in {@code [0, numClasses)} ("3" and
 * "3.0" both read as 3). Values are stored as float and must be finite there.
 *
 * <p>Every defect is an {@link InvalidDataException} naming the file and the line number, e.g.
 * {@code "part-00001, line 17: feature index 785 is out of range [1, 784]"}. Immutable.
 */
public final class LibSvmReader {

  /** Initial capacity, in samples and in feature values, of the growing arrays. */
  private static final int INITIAL_ROWS = 1024;
  private static final long INITIAL_VALUES = 1 << 20;
  /** Largest Java array length that every JVM allocates. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
  /** Characters a line may take per feature ("index:value " with a long value) and for its label. */
  private static final long CHARS_PER_FEATURE = 48;
  private static final long CHARS_PER_LABEL = 64;

  private final ImageShape shape;
  private final int numClasses;
  private final Configuration hadoopConf;
  private final long maxValues;

  private LibSvmReader(ImageShape shape, int numClasses, Configuration hadoopConf, long maxValues) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
    }
    this.shape = Objects.requireNonNull(shape, "shape");
    this.numClasses = numClasses;
    this.hadoopConf = hadoopConf;
    this.maxValues = maxValues;
  }

  /** A reader for samples of {@code shape.size()} features and labels in {@code [0, numClasses)}. */
  public static LibSvmReader of(ImageShape shape, int numClasses) {
    return new LibSvmReader(shape, numClasses, null, MAX_ARRAY);
  }

  /** The same reader, opening paths with this Hadoop configuration instead of a default one. */
  public LibSvmReader withHadoopConfiguration(Configuration conf) {
    return new LibSvmReader(shape, numClasses, Objects.requireNonNull(conf, "conf"), maxValues);
  }

  /**
   * The same reader, refusing data of more than {@code maxValues} feature values (samples x features) and lines
   * longer than a sample of the shape can need, or than {@code maxValues} characters, before they are held in
   * memory: a line without end (e.g. decompressed zeros) stops at the limit.
   */
  public LibSvmReader withMaxValues(long maxValues) {
    if (maxValues <= 0) {
      throw new IllegalArgumentException("the value limit must be positive, got " + maxValues);
    }
    return new LibSvmReader(shape, numClasses, hadoopConf, Math.min(maxValues, MAX_ARRAY));
  }

  /**
   * Reads a LibSVM file, or every part file of a directory in name order (names starting with '_' or '.' are
   * skipped), from a Hadoop-FileSystem path: a local path, {@code file://...} or {@code hdfs://...}.
   *
   * @throws InvalidDataException if the path does not exist, holds no sample, or a line is malformed
   * @throws UncheckedIOException on an I/O failure that is not about the content
   */
  public LabeledSamples read(String path) {
    Configuration conf = hadoopConf != null ? hadoopConf : new Configuration();
    List<HadoopFiles.DataFile> files = HadoopFiles.fileOrPartFiles(path, conf);
    Builder builder = new Builder(shape.size());
    for (HadoopFiles.DataFile file : files) {
      try (InputStream in = file.open()) {
        parse(in, file.displayName(), builder);
      } catch (IOException e) {
        throw new UncheckedIOException(file.displayName() + ": cannot close: " + e.getMessage(), e);
      }
    }
    return builder.build(path);
  }

  /**
   * Reads LibSVM text (UTF-8, raw or gzip) from a stream, which is read to its end and not closed.
   *
   * @param name name of the stream in error messages
   */
  public LabeledSamples read(InputStream in, String name) {
    Builder builder = new Builder(shape.size());
    parse(new FilterInputStream(in) {
      @Override
      public void close() {
        // The caller owns the stream.
      }
    }, name, builder);
    return builder.build(name);
  }

  /** The longest line a sample of {@code features} features can take: a label and "index:value " per feature. */
  public static long maxLineLength(int features) {
    return CHARS_PER_LABEL + CHARS_PER_FEATURE * features;
  }

  private void parse(InputStream raw, String name, Builder builder) {
    int lineNumber = 0;
    long maxLine = Math.min(maxValues, maxLineLength(shape.size()));
    try (BufferedReader reader = new BufferedReader(new LineLimit(new InputStreamReader(
        HadoopFiles.decodeGzipIfPresent(raw, name), StandardCharsets.UTF_8), maxLine, name),
        HadoopFiles.BUFFER_BYTES)) {
      String line;
      while (true) {
        try {
          line = reader.readLine();
        } catch (ZipException | EOFException e) {
          throw InvalidDataException.in(name, "corrupt gzip after line " + lineNumber + ": " + e.getMessage(), e);
        }
        if (line == null) {
          break;
        }
        lineNumber++;
        parseLine(line, name, lineNumber, builder);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name + ", line " + lineNumber + ": read failed: " + e.getMessage(), e);
    }
  }

  /** Parses one line into the next row of {@code builder}; blank and comment-only lines add nothing. */
  private void parseLine(String line, String name, int lineNumber, Builder builder) {
    int comment = line.indexOf('#');
    int end = comment >= 0 ? comment : line.length();
    int pos = skipBlanks(line, 0, end);
    if (pos == end) {
      return;
    }
    int tokenEnd = tokenEnd(line, pos, end);
    String labelText = line.substring(pos, tokenEnd);
    if (labelText.indexOf(':') >= 0) {
      throw error(name, lineNumber, "missing label: the line starts with the feature '" + labelText + "'");
    }
    int label = parseLabel(labelText, name, lineNumber);

    float[] row = builder.startRow(label);
    int previous = 0;
    pos = skipBlanks(line, tokenEnd, end);
    while (pos < end) {
      tokenEnd = tokenEnd(line, pos, end);
      String token = line.substring(pos, tokenEnd);
      int colon = token.indexOf(':');
      if (colon < 0) {
        throw error(name, lineNumber, "expected index:value, found '" + token + "'");
      }
      int index;
      try {
        index = Integer.parseInt(token.substring(0, colon));
      } catch (NumberFormatException e) {
        throw error(name, lineNumber, "unparsable feature index '" + token.substring(0, colon) + "' in '" + token
            + "'");
      }
      if (index < 1 || index > shape.size()) {
        throw error(name, lineNumber, "feature index " + index + " is out of range [1, " + shape.size()
            + "] (indices are 1-based; shape " + shape + " has " + shape.size() + " features)");
      }
      if (index <= previous) {
        throw error(name, lineNumber, "feature indices must be strictly increasing, but " + index + " follows "
            + previous);
      }
      String valueText = token.substring(colon + 1);
      float value;
      try {
        value = Float.parseFloat(valueText);
      } catch (NumberFormatException e) {
        throw error(name, lineNumber, "unparsable value '" + valueText + "' of feature " + index);
      }
      if (!Float.isFinite(value)) {
        throw error(name, lineNumber, "value of feature " + index + " is " + value
            + (Float.isNaN(value) ? "" : " ('" + valueText + "' as a float)") + "; values must be finite");
      }
      row[builder.rowOffset() + index - 1] = value;
      previous = index;
      pos = skipBlanks(line, tokenEnd, end);
    }
  }

  private int parseLabel(String text, String name, int lineNumber) {
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw error(name, lineNumber, "unparsable label '" + text + "'");
    }
    if (!Double.isFinite(value) || value != Math.rint(value)) {
      throw error(name, lineNumber, "label '" + text + "' is not an integer");
    }
    if (value < 0 || value >= numClasses) {
      String hint = value == -1 ? " (binary -1/+1 labels must be mapped to 0/1)" : "";
      throw error(name, lineNumber, "label " + (long) value + " is outside [0, " + numClasses + ")" + hint);
    }
    return (int) value;
  }

  private static int skipBlanks(String line, int pos, int end) {
    while (pos < end && isBlank(line.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static int tokenEnd(String line, int pos, int end) {
    while (pos < end && !isBlank(line.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f';
  }

  private static InvalidDataException error(String name, int lineNumber, String problem) {
    return new InvalidDataException(name + ", line " + lineNumber + ": " + problem);
  }

  /** Stops a reader at a line longer than a limit, before the line is held in memory. */
  private static final class LineLimit extends FilterReader {
    private final long maxLine;
    private final String name;
    private long lineLength;
    private int lineNumber = 1;

    LineLimit(Reader in, long maxLine, String name) {
      super(in);
      this.maxLine = maxLine;
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      char[] one = new char[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int got = super.read(buffer, offset, length);
      for (int k = offset; k < offset + got; k++) {
        if (buffer[k] == '\n') {
          lineLength = 0;
          lineNumber++;
        } else if (++lineLength > maxLine) {
          throw error(name, lineNumber, "longer than " + maxLine + " characters, more than a sample of "
              + "this shape can need (or than the memory available allows)");
        }
      }
      return got;
    }
  }

  /** Growing row-major feature and label arrays. */
  private final class Builder {
    private final int dim;
    private float[] features;
    private int[] labels;
    private int rows;

    Builder(int dim) {
      this.dim = dim;
      int initialRows = (int) Math.max(1, Math.min(INITIAL_ROWS, Math.min(maxValues, INITIAL_VALUES) / dim));
      this.features = new float[Math.multiplyExact(initialRows, dim)];
      this.labels = new int[initialRows];
    }

    /** Appends a zero row with this label; returns the feature array, whose row starts at {@link #rowOffset()}. */
    float[] startRow(int label) {
      if (rows == labels.length) {
        int capacity = Math.max(rows + 1, (int) Math.min(Integer.MAX_VALUE - 8L, rows + (rows >> 1)));
        if ((long) capacity * dim > maxValues) {
          capacity = (int) (maxValues / dim);
          if (capacity <= rows) {
            throw new InvalidDataException("more than " + rows + " samples of " + dim + " features: the data set "
                + "exceeds this reader's limit of " + maxValues + " values (" + (maxValues == MAX_ARRAY
                ? "one array's" : "set by the memory available") + "); read fewer files");
          }
        }
        labels = Arrays.copyOf(labels, capacity);
        features = Arrays.copyOf(features, capacity * dim);
      }
      labels[rows] = label;
      rows++;
      return features;
    }

    int rowOffset() {
      return (rows - 1) * dim;
    }

    LabeledSamples build(String source) {
      if (rows == 0) {
        throw InvalidDataException.in(source, "no samples: every line is blank or a comment");
      }
      float[] exactFeatures = rows * dim == features.length ? features : Arrays.copyOf(features, rows * dim);
      int[] exactLabels = rows == labels.length ? labels : Arrays.copyOf(labels, rows);
      return new LabeledSamples(exactFeatures, exactLabels, shape, numClasses);
    }
  }
}
