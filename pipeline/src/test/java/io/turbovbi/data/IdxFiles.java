package io.turbovbi.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte for the reader tests. */
final class IdxFiles {

  private IdxFiles() {}

  /** An IDX file: the magic number, the sizes, then the data bytes. */
  static byte[] idx(int magic, int[] sizes, byte[] data) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
    buffer.putInt(magic);
    for (int size : sizes) {
      buffer.putInt(size);
    }
    buffer.put(data);
    return buffer.array();
  }

  /** An images file of {@code count} images of rows x cols with the given pixel bytes. */
  static byte[] images(int count, int rows, int cols, byte[] pixels) {
    return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, pixels);
  }

  /** A labels file holding these labels. */
  static byte[] labels(int... labels) {
    byte[] data = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      data[i] = (byte) labels[i];
    }
    return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, data);
  }

  /** Pixel bytes 0, 1, 2, ... (mod 256). */
  static byte[] rampPixels(int n) {
    byte[] pixels = new byte[n];
    for (int i = 0; i < n; i++) {
      pixels[i] = (byte) (i * 37 + 11);
    }
    return pixels;
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] truncate(byte[] data, int dropBytes) {
    byte[] out = new byte[data.length - dropBytes];
    System.arraycopy(data, 0, out, 0, out.length);
    return out;
  }

  static String write(Path dir, String name, byte[] content) {
    try {
      return Files.write(dir.resolve(name), content).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
