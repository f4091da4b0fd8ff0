package io.turbovbi.data;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads an images file and a labels file in the IDX format of MNIST and Fashion-MNIST into {@link LabeledSamples},
 * raw or gzip-compressed (recognised by the gzip magic bytes, not by the file name).
 *
 * <p>Format (all integers big-endian): a 4-byte magic number {@code 0x0000TTDD}, TT the data type (only 0x08,
 * unsigned byte, is read here) and DD the number of dimensions; then one 4-byte size per dimension; then the data,
 * last dimension fastest. Images: magic {@code 0x00000803}, sizes (count, rows, columns), pixels 0..255 scaled to
 * [0, 1] by /255. Labels: magic {@code 0x00000801}, size (count), one byte per label. Source:
 * Y. LeCun et al., "The MNIST database of handwritten digits", and the Fashion-MNIST README (Zalando Research).
 *
 * <p>Every defect found is an {@link InvalidDataException} naming the file and what is wrong: bad magic number,
 * wrong number of dimensions, non-positive sizes, truncated data, corrupt gzip, trailing bytes after the data, image
 * and label counts that differ, an image shape other than the expected one, labels {@code >= numClasses}, a path
 * that does not exist. Immutable; the {@code with...} methods return modified copies.
 */
public final class IdxReader {

  /** Magic number of an unsigned-byte IDX file with 3 dimensions (images: count, rows, columns). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an unsigned-byte IDX file with 1 dimension (labels: count). */
  public static final int LABELS_MAGIC = 0x00000801;

  /** IDX data-type byte for unsigned bytes, the only type MNIST-style files use. */
  private static final int TYPE_UNSIGNED_BYTE = 0x08;
  /** Largest Java array length that every JVM allocates. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
  /** Stored length of a stream whose length is not known. */
  private static final long UNKNOWN_LENGTH = -1;
  /** Pixel byte value -> pixel in [0, 1]: value / 255. */
  private static final float[] PIXEL_SCALE = new float[256];

  static {
    for (int v = 0; v < 256; v++) {
      PIXEL_SCALE[v] = v / 255f;
    }
  }

  private final int numClasses;
  private final ImageShape expectedShape;
  private final Configuration hadoopConf;
  private final long maxPixels;

  private IdxReader(int numClasses, ImageShape expectedShape, Configuration hadoopConf, long maxPixels) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
    }
    this.numClasses = numClasses;
    this.expectedShape = expectedShape;
    this.hadoopConf = hadoopConf;
    this.maxPixels = maxPixels;
  }

  /**
   * A reader that accepts any image size and labels in {@code [0, numClasses)}, with a default Hadoop configuration.
   */
  public static IdxReader forClasses(int numClasses) {
    return new IdxReader(numClasses, null, null, MAX_ARRAY);
  }

  /**
   * The same reader, but rejecting files whose images are not {@code shape} (IDX images have one channel, so the
   * shape must be 1 x rows x columns to match).
   */
  public IdxReader withExpectedShape(ImageShape shape) {
    return new IdxReader(numClasses, Objects.requireNonNull(shape, "shape"), hadoopConf, maxPixels);
  }

  /**
   * The same reader, opening paths with this Hadoop configuration (e.g. {@code sparkContext.hadoopConfiguration()},
   * which knows the cluster's HDFS), instead of a default one.
   */
  public IdxReader withHadoopConfiguration(Configuration conf) {
    return new IdxReader(numClasses, expectedShape, Objects.requireNonNull(conf, "conf"), maxPixels);
  }

  /**
   * The same reader, refusing files whose header promises more than {@code maxPixels} pixels before anything of
   * that size is allocated (a raw file is also checked against its length; a gzip file only against this limit).
   */
  public IdxReader withMaxPixels(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("the pixel limit must be positive, got " + maxPixels);
    }
    return new IdxReader(numClasses, expectedShape, hadoopConf, Math.min(maxPixels, MAX_ARRAY));
  }

  /**
   * Reads an images file and its labels file from Hadoop-FileSystem paths (a local path, {@code file://...},
   * {@code hdfs://...}). Error messages name the files by the paths as given.
   *
   * @throws InvalidDataException if a file is missing or malformed, or the two files do not match
   * @throws UncheckedIOException on an I/O failure that is not about the content
   */
  public LabeledSamples read(String imagesPath, String labelsPath) {
    Configuration conf = hadoopConf != null ? hadoopConf : new Configuration();
    HadoopFiles.DataFile imagesFile = HadoopFiles.file(imagesPath, conf);
    HadoopFiles.DataFile labelsFile = HadoopFiles.file(labelsPath, conf);
    try (InputStream images = imagesFile.open(); InputStream labels = labelsFile.open();
        IdxStream imageStream = IdxStream.open(images, imagesPath, imagesFile.length());
        IdxStream labelStream = IdxStream.open(labels, labelsPath, labelsFile.length())) {
      return read(imageStream, labelStream);
    } catch (IOException e) {
      throw new UncheckedIOException(imagesPath + ", " + labelsPath + ": cannot close: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an images stream and its labels stream (e.g. classpath resources). The streams are read to their end to
   * check for trailing bytes, and are not closed.
   *
   * @param imagesName name of the images stream in error messages, e.g. the resource name
   * @param labelsName name of the labels stream in error messages
   * @throws InvalidDataException if a stream is malformed or the two do not match
   * @throws UncheckedIOException on an I/O failure that is not about the content
   */
  public LabeledSamples read(InputStream images, String imagesName, InputStream labels, String labelsName) {
    try (IdxStream imageStream = IdxStream.open(images, imagesName, UNKNOWN_LENGTH);
        IdxStream labelStream = IdxStream.open(labels, labelsName, UNKNOWN_LENGTH)) {
      return read(imageStream, labelStream);
    }
  }

  private LabeledSamples read(IdxStream imageStream, IdxStream labelStream) {
    String imagesName = imageStream.name;
    String labelsName = labelStream.name;

    int[] imageDims = imageStream.header(IMAGES_MAGIC, "an images file", "count, rows, columns",
        new String[] {"image count", "rows", "columns"});
    int[] labelDims = labelStream.header(LABELS_MAGIC, "a labels file", "count", new String[] {"label count"});
    int count = imageDims[0];
    if (count != labelDims[0]) {
      throw new InvalidDataException(imagesName + " holds " + count + " images but " + labelsName + " holds "
          + labelDims[0] + " labels");
    }
    int rows = imageDims[1];
    int cols = imageDims[2];
    long perImage = (long) rows * cols; // < 2^62, and so is count * perImage once perImage < 2^31
    long values = perImage > MAX_ARRAY ? Long.MAX_VALUE : count * perImage;
    if (values > MAX_ARRAY) {
      throw InvalidDataException.in(imagesName, "header promises " + count + " images of " + rows + "x" + cols
          + ", more pixels than one array can hold (" + MAX_ARRAY + ")");
    }
    imageStream.requireStoredBytes(values, () -> "header promises " + count + " images of " + rows + "x" + cols
        + " = " + values + " pixel bytes");
    if (values > maxPixels) {
      throw InvalidDataException.in(imagesName, "header promises " + count + " images of " + rows + "x" + cols
          + " (" + values + " pixels), more than the memory available takes (" + maxPixels + "): give the JVM "
          + "more memory");
    }
    labelStream.requireStoredBytes(count, () -> "header promises " + count + " labels");
    ImageShape shape = new ImageShape(1, rows, cols);
    if (expectedShape != null && !expectedShape.equals(shape)) {
      throw InvalidDataException.in(imagesName,
          "images are " + shape + " (channels x rows x columns) but the expected shape is " + expectedShape);
    }

    float[] features = imageStream.pixels((int) values,
        () -> "header promises " + count + " images of " + rows + "x" + cols + " = " + values + " pixel bytes");
    int[] labelValues = labelStream.labels(count, numClasses);
    imageStream.expectEnd(() -> "the " + count + " images the header promises");
    labelStream.expectEnd(() -> "the " + count + " labels the header promises");
    return new LabeledSamples(features, labelValues, shape, numClasses);
  }

  /**
   * One IDX stream being read: the decoded (decompressed) bytes, a name for messages and a byte count. Closing it
   * frees the gzip decoder but leaves the caller's stream open.
   */
  private static final class IdxStream implements AutoCloseable {
    private final InputStream in;
    private final String name;
    private final boolean gzip;
    /** Length of the file as stored, or UNKNOWN_LENGTH. */
    private final long storedLength;
    private final byte[] buffer = new byte[HadoopFiles.BUFFER_BYTES];
    /** Decoded bytes consumed so far (after decompression). */
    private long position;

    private IdxStream(InputStream in, String name, boolean gzip, long storedLength) {
      this.in = in;
      this.name = name;
      this.gzip = gzip;
      this.storedLength = storedLength;
    }

    /** Buffers {@code raw} and puts a gzip decoder on it if it starts with the gzip magic bytes. */
    static IdxStream open(InputStream raw, String name, long storedLength) {
      Objects.requireNonNull(raw, "input stream of " + name);
      InputStream unclosable = new FilterInputStream(raw) {
        @Override
        public void close() {
          // The caller owns the stream.
        }
      };
      InputStream decoded = HadoopFiles.decodeGzipIfPresent(unclosable, name);
      return new IdxStream(decoded, name, HadoopFiles.isGzip(decoded), storedLength);
    }

    /** Refuses, before they are allocated, data bytes that a raw file of known length cannot hold. */
    void requireStoredBytes(long bytes, Supplier<String> promise) {
      if (!gzip && storedLength != UNKNOWN_LENGTH && bytes > storedLength - position) {
        throw InvalidDataException.in(name, "truncated: " + promise.get() + ", file holds "
            + (storedLength - position));
      }
    }

    /**
     * Reads and checks the magic number and the sizes; returns the sizes.
     *
     * @param kind "an images file", for messages
     * @param dimsMeaning what the sizes mean, for messages
     */
    int[] header(int expectedMagic, String kind, String dimsMeaning, String[] dimNames) {
      int expectedDims = expectedMagic & 0xFF;
      int headerBytes = 4 + 4 * expectedDims;
      int magic = readHeaderInt(headerBytes);
      int type = (magic >>> 8) & 0xFF;
      int dims = magic & 0xFF;
      if ((magic >>> 16) != 0 || type != TYPE_UNSIGNED_BYTE) {
        String what = (magic >>> 16) != 0
            ? "not an IDX file (the first two bytes of an IDX file are zero)"
            : "data type 0x" + hex2(type) + ", only 0x08 (unsigned byte) is supported";
        throw InvalidDataException.in(name, "bad magic number 0x" + hex8(magic) + ", expected 0x" + hex8(expectedMagic)
            + " for " + kind + ": " + what + (gzip ? "" : rawHint(magic)));
      }
      if (dims != expectedDims) {
        String hint = dims == 1 ? " (is this a labels file?)" : dims == 3 ? " (is this an images file?)" : "";
        throw InvalidDataException.in(name, "wrong number of dimensions: magic number 0x" + hex8(magic) + " declares "
            + dims + ", " + kind + " has " + expectedDims + " (" + dimsMeaning + ")" + hint);
      }
      int[] sizes = new int[dims];
      for (int k = 0; k < dims; k++) {
        sizes[k] = readHeaderInt(headerBytes);
        if (sizes[k] == 0) {
          throw InvalidDataException.in(name, "non-positive size in the header: " + dimNames[k]
              + " = 0, sizes must be positive");
        }
        if (sizes[k] < 0) {
          // IDX sizes are unsigned 32-bit; above 2^31 - 1 no Java array could hold the data.
          throw InvalidDataException.in(name, "size too large in the header: " + dimNames[k] + " = "
              + Integer.toUnsignedString(sizes[k]) + ", at most " + Integer.MAX_VALUE + " is supported");
        }
      }
      return sizes;
    }

    /** Reads {@code n} pixel bytes scaled to [0, 1]. */
    float[] pixels(int n, Supplier<String> promise) {
      float[] out = new float[n];
      int done = 0;
      while (done < n) {
        int got = read(buffer, 0, Math.min(buffer.length, n - done));
        if (got < 0) {
          throw InvalidDataException.in(name, "truncated: " + promise.get() + ", file holds " + done);
        }
        for (int k = 0; k < got; k++) {
          out[done + k] = PIXEL_SCALE[buffer[k] & 0xFF];
        }
        done += got;
      }
      return out;
    }

    /** Reads {@code n} labels, checking each is below {@code numClasses}. */
    int[] labels(int n, int numClasses) {
      int[] out = new int[n];
      int done = 0;
      while (done < n) {
        int got = read(buffer, 0, Math.min(buffer.length, n - done));
        if (got < 0) {
          throw InvalidDataException.in(name, "truncated: header promises " + n + " labels, file holds " + done);
        }
        for (int k = 0; k < got; k++) {
          int label = buffer[k] & 0xFF;
          if (label >= numClasses) {
            throw InvalidDataException.in(name, "label " + label + " of sample " + (done + k)
                + " is outside [0, " + numClasses + ")");
          }
          out[done + k] = label;
        }
        done += got;
      }
      return out;
    }

    /** Checks that no bytes follow the data (and, for gzip, lets the decoder check the CRC and length). */
    void expectEnd(Supplier<String> what) {
      long extra = 0;
      int got;
      while ((got = read(buffer, 0, buffer.length)) >= 0) {
        extra += got;
      }
      if (extra > 0) {
        throw InvalidDataException.in(name, "trailing garbage: " + extra + (extra == 1 ? " byte" : " bytes")
            + " after " + what.get());
      }
    }

    private int readHeaderInt(int headerBytes) {
      int value = 0;
      for (int k = 0; k < 4; k++) {
        int got = read(buffer, 0, 1);
        if (got < 0) {
          throw InvalidDataException.in(name, "truncated: the IDX header needs " + headerBytes + " bytes, file holds "
              + position);
        }
        value = (value << 8) | (buffer[0] & 0xFF);
      }
      return value;
    }

    /** Like {@link InputStream#read(byte[], int, int)}, mapping gzip failures to a "corrupt gzip" error. */
    private int read(byte[] b, int off, int len) {
      try {
        int got = in.read(b, off, len);
        if (got > 0) {
          position += got;
        }
        return got;
      } catch (ZipException | EOFException e) {
        // GZIPInputStream: ZipException for bad deflate data, CRC or length; EOFException if the compressed stream
        // ends early (a truncated .gz file).
        String why = e instanceof EOFException ? "compressed data ends early (" + e.getMessage() + ")"
            : e.getMessage();
        throw InvalidDataException.in(name, "corrupt gzip: " + why + ", after " + position + " decompressed bytes", e);
      } catch (IOException e) {
        throw new UncheckedIOException(name + ": read failed after " + position + " bytes: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(name + ": cannot close: " + e.getMessage(), e);
      }
    }

    private static String rawHint(int magic) {
      // A text file or another binary format read by mistake: show the first bytes as characters if printable.
      StringBuilder text = new StringBuilder();
      for (int shift = 24; shift >= 0; shift -= 8) {
        int c = (magic >>> shift) & 0xFF;
        if (c < 0x20 || c > 0x7e) {
          return "";
        }
        text.append((char) c);
      }
      return "; the file starts with the text '" + text + "'";
    }

    private static String hex8(int value) {
      return String.format("%08X", value);
    }

    private static String hex2(int value) {
      return String.format("%02X", value);
    }
  }
}
