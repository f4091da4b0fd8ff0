package io.turbovbi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibSvmReaderTest {

  /** 1 x 2 x 3: six features, indices 1..6. */
  private static final ImageShape SHAPE = new ImageShape(1, 2, 3);
  private static final LibSvmReader READER = LibSvmReader.of(SHAPE, 3);

  @TempDir
  Path dir;

  private String write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8).toString();
  }

  /** Reads {@code text} as the file "data.svm" and returns the error message. */
  private String errorReading(String text) throws IOException {
    String path = write("data.svm", text);
    return assertThrows(InvalidDataException.class, () -> READER.read(path)).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }

  @Test
  void denseLineFillsEveryFeature() throws IOException {
    LabeledSamples data = READER.read(write("d.svm", "2 1:0.5 2:1 3:-2 4:3.25 5:1e-3 6:7\n"));
    assertEquals(1, data.size());
    assertEquals(SHAPE, data.shape());
    assertArrayEquals(new int[] {2}, data.labels());
    assertArrayEquals(new float[] {0.5f, 1f, -2f, 3.25f, 1e-3f, 7f}, data.row(0));
  }

  @Test
  void sparseLinesLeaveMissingFeaturesZero() throws IOException {
    LabeledSamples data = READER.read(write("s.svm", "0 2:0.25 6:1\n1\n2.0 1:-1\t5:4\n"));
    assertArrayEquals(new int[] {0, 1, 2}, data.labels());
    assertArrayEquals(new float[] {0, 0.25f, 0, 0, 0, 1f}, data.row(0));
    assertArrayEquals(new float[6], data.row(1), "a label with no features is an all-zero sample");
    assertArrayEquals(new float[] {-1f, 0, 0, 0, 4f, 0}, data.row(2));
  }

  @Test
  void blankLinesAndCommentsAreSkipped() throws IOException {
    String text = "# header comment\n\n   \n1 3:2 # trailing comment 9:9\n\t# indented comment\n0 1:1\r\n";
    LabeledSamples data = READER.read(write("c.svm", text));
    assertArrayEquals(new int[] {1, 0}, data.labels());
    assertArrayEquals(new float[] {0, 0, 2f, 0, 0, 0}, data.row(0));
  }

  @Test
  void directoryOfPartFilesIsReadInNameOrderSkippingMarkers() throws IOException {
    Path parts = Files.createDirectory(dir.resolve("parts"));
    Files.writeString(parts.resolve("part-00001"), "2 1:2\n");
    Files.writeString(parts.resolve("part-00000"), "1 1:1\n");
    Files.write(parts.resolve("part-00002.gz"), IdxFiles.gzip("0 1:3\n".getBytes(StandardCharsets.UTF_8)));
    Files.writeString(parts.resolve("_SUCCESS"), "");
    Files.writeString(parts.resolve(".part-00000.crc"), "not data");
    LabeledSamples data = READER.read(parts.toString());
    assertArrayEquals(new int[] {1, 2, 0}, data.labels());
    assertEquals(3f, data.feature(2, 0));
  }

  @Test
  void errorInAPartFileNamesThatFileAndItsLine() throws IOException {
    Path parts = Files.createDirectory(dir.resolve("parts"));
    Files.writeString(parts.resolve("part-00000"), "1 1:1\n");
    Files.writeString(parts.resolve("part-00001"), "1 1:1\n\n0 7:1\n");
    String message = assertThrows(InvalidDataException.class, () -> READER.read(parts.toString())).getMessage();
    assertContains(message, "part-00001, line 3", "feature index 7 is out of range [1, 6]");
  }

  @Test
  void readsFromAStream() {
    var in = new ByteArrayInputStream("1 2:5\n".getBytes(StandardCharsets.UTF_8));
    LabeledSamples data = READER.read(in, "inline");
    assertEquals(5f, data.feature(0, 1));
  }

  @Test
  void unparsableLabelNamesFileAndLine() throws IOException {
    assertContains(errorReading("1 1:1\nx 1:1\n"), "data.svm, line 2", "unparsable label 'x'");
  }

  @Test
  void nonIntegralLabelIsRejected() throws IOException {
    assertContains(errorReading("1.5 1:1\n"), "data.svm, line 1", "label '1.5' is not an integer");
  }

  @Test
  void labelOutOfRangeNamesTheRange() throws IOException {
    assertContains(errorReading("0 1:1\n3 1:1\n"), "data.svm, line 2", "label 3 is outside [0, 3)");
  }

  @Test
  void minusOneLabelHintsAtBinaryLabels() throws IOException {
    assertContains(errorReading("-1 1:1\n"), "data.svm, line 1", "label -1 is outside [0, 3)", "-1/+1");
  }

  @Test
  void missingLabelIsNamed() throws IOException {
    assertContains(errorReading("\n\n1:0.5 2:1\n"), "data.svm, line 3", "missing label", "'1:0.5'");
  }

  @Test
  void unparsableValueNamesFeatureAndText() throws IOException {
    assertContains(errorReading("1 2:abc\n"), "data.svm, line 1", "unparsable value 'abc' of feature 2");
  }

  @Test
  void unparsableIndexIsNamed() throws IOException {
    assertContains(errorReading("1 a:1\n"), "data.svm, line 1", "unparsable feature index 'a'");
  }

  @Test
  void tokenWithoutColonIsNamed() throws IOException {
    assertContains(errorReading("1 1:1 0.5\n"), "data.svm, line 1", "expected index:value, found '0.5'");
  }

  @Test
  void indexZeroIsOutOfRange() throws IOException {
    assertContains(errorReading("1 0:1\n"), "data.svm, line 1", "feature index 0 is out of range [1, 6]",
        "1-based");
  }

  @Test
  void indexBeyondShapeSizeIsOutOfRange() throws IOException {
    assertContains(errorReading("1 1:1\n2 7:1\n"), "data.svm, line 2", "feature index 7 is out of range [1, 6]",
        "shape 1x2x3");
  }

  @Test
  void decreasingIndicesAreRejected() throws IOException {
    assertContains(errorReading("1 3:1 2:1\n"), "data.svm, line 1", "strictly increasing", "2 follows 3");
  }

  @Test
  void repeatedIndexIsRejected() throws IOException {
    assertContains(errorReading("1 3:1 3:2\n"), "data.svm, line 1", "strictly increasing", "3 follows 3");
  }

  @Test
  void nanValueIsRejected() throws IOException {
    assertContains(errorReading("1 1:1\n\n# c\n1 4:NaN\n"), "data.svm, line 4", "value of feature 4 is NaN");
  }

  @Test
  void infiniteValueIsRejected() throws IOException {
    assertContains(errorReading("1 2:-Infinity\n"), "data.svm, line 1", "value of feature 2 is -Infinity");
  }

  @Test
  void valueBeyondFloatRangeIsRejected() throws IOException {
    assertContains(errorReading("1 2:1e39\n"), "data.svm, line 1", "value of feature 2 is Infinity", "'1e39'");
  }

  @Test
  void fileWithOnlyCommentsHasNoSamples() throws IOException {
    assertContains(errorReading("# nothing\n\n"), "data.svm", "no samples");
  }

  @Test
  void missingPathSaysNoSuchFile() {
    String missing = dir.resolve("absent.svm").toString();
    String message = assertThrows(InvalidDataException.class, () -> READER.read(missing)).getMessage();
    assertContains(message, "absent.svm", "no such file or directory");
  }

  @Test
  void emptyDirectoryHasNoDataFiles() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Files.writeString(empty.resolve("_SUCCESS"), "");
    String message = assertThrows(InvalidDataException.class, () -> READER.read(empty.toString())).getMessage();
    assertContains(message, "empty", "no data files");
  }

  @Test
  void corruptGzipNamesFile() throws IOException {
    byte[] compressed = IdxFiles.gzip("1 1:1\n2 2:2\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    Path path = Files.write(dir.resolve("cut.svm"), IdxFiles.truncate(compressed, compressed.length / 2));
    String message = assertThrows(InvalidDataException.class, () -> READER.read(path.toString())).getMessage();
    assertContains(message, "cut.svm", "corrupt gzip");
  }
}
