package io.turbovbi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LabeledSamplesTest {

  private static final ImageShape SHAPE = new ImageShape(1, 2, 2);

  /** Sample i has features (i, i + 0.25, i + 0.5, i + 0.75) and label i mod 3. */
  private static LabeledSamples samples(int n) {
    float[] features = new float[n * 4];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        features[i * 4 + j] = i + j / 4f;
      }
      labels[i] = i % 3;
    }
    return new LabeledSamples(features, labels, SHAPE, 3);
  }

  private static void assertMessageHas(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void accessorsDescribeTheData() {
    LabeledSamples data = samples(5);
    assertEquals(5, data.size());
    assertEquals(4, data.dim());
    assertEquals(SHAPE, data.shape());
    assertEquals(3, data.numClasses());
    assertEquals(2, data.label(2));
    assertEquals(3.5f, data.feature(3, 2));
    assertArrayEquals(new float[] {1f, 1.25f, 1.5f, 1.75f}, data.row(1));
    assertArrayEquals(new int[] {2, 2, 1}, data.classCounts());
    assertEquals("LabeledSamples[5 samples, shape 1x2x2, 3 classes]", data.toString());
  }

  @Test
  void arraysAreSharedNotCopied() {
    float[] features = new float[4];
    int[] labels = new int[1];
    LabeledSamples data = new LabeledSamples(features, labels, SHAPE, 2);
    assertSame(features, data.features());
    assertSame(labels, data.labels());
  }

  @Test
  void emptyDataSetIsRejected() {
    var e = assertThrows(InvalidDataException.class,
        () -> new LabeledSamples(new float[0], new int[0], SHAPE, 3));
    assertMessageHas(e, "the data set is empty");
  }

  @Test
  void featureLengthThatDisagreesWithLabelsAndShapeIsRejected() {
    var e = assertThrows(InvalidDataException.class,
        () -> new LabeledSamples(new float[7], new int[2], SHAPE, 3));
    assertMessageHas(e, "features hold 7 values", "2 samples x 4", "= 8");
  }

  @Test
  void labelOutOfRangeNamesSampleIndexAndValue() {
    var e = assertThrows(InvalidDataException.class,
        () -> new LabeledSamples(new float[12], new int[] {0, 2, 3}, SHAPE, 3));
    assertMessageHas(e, "sample 2", "is 3", "[0, 3)");
    var negative = assertThrows(InvalidDataException.class,
        () -> new LabeledSamples(new float[8], new int[] {-1, 0}, SHAPE, 3));
    assertMessageHas(negative, "sample 0", "is -1");
  }

  @Test
  void firstNonFiniteFeatureIsNamedBySampleAndFeatureIndex() {
    float[] features = new float[12];
    features[6] = Float.NaN; // sample 1, feature 2
    features[9] = Float.POSITIVE_INFINITY;
    var e = assertThrows(InvalidDataException.class,
        () -> new LabeledSamples(features, new int[3], SHAPE, 3));
    assertMessageHas(e, "feature 2 of sample 1 is NaN");
    float[] infinite = new float[12];
    infinite[11] = Float.NEGATIVE_INFINITY;
    var inf = assertThrows(InvalidDataException.class, () -> new LabeledSamples(infinite, new int[3], SHAPE, 3));
    assertMessageHas(inf, "feature 3 of sample 2 is -Infinity");
  }

  @Test
  void nonPositiveClassCountIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LabeledSamples(new float[4], new int[1], SHAPE, 0));
  }

  @Test
  void subsetCopiesTheChosenRowsInOrder() {
    LabeledSamples data = samples(5);
    LabeledSamples sub = data.subset(new int[] {4, 1, 4});
    assertEquals(3, sub.size());
    assertArrayEquals(data.row(4), sub.row(0));
    assertArrayEquals(data.row(1), sub.row(1));
    assertArrayEquals(data.row(4), sub.row(2));
    assertArrayEquals(new int[] {1, 1, 1}, sub.labels());
    assertEquals(SHAPE, sub.shape());
    sub.features()[0] = -7f;
    assertEquals(4f, data.feature(4, 0), "the subset must not share the parent's arrays");
  }

  @Test
  void subsetRejectsEmptyAndOutOfRangeIndices() {
    LabeledSamples data = samples(3);
    assertThrows(IllegalArgumentException.class, () -> data.subset(new int[0]));
    assertThrows(IndexOutOfBoundsException.class, () -> data.subset(new int[] {0, 3}));
    assertThrows(IndexOutOfBoundsException.class, () -> data.subset(new int[] {-1}));
  }

  @Test
  void headKeepsTheFirstSamples() {
    LabeledSamples data = samples(5);
    LabeledSamples head = data.head(2);
    assertArrayEquals(Arrays.copyOf(data.features(), 8), head.features());
    assertArrayEquals(new int[] {0, 1}, head.labels());
    assertThrows(IllegalArgumentException.class, () -> data.head(0));
    assertThrows(IllegalArgumentException.class, () -> data.head(6));
  }

  @Test
  void copyRowWritesAtTheOffset() {
    float[] dest = new float[6];
    samples(3).copyRow(2, dest, 1);
    assertArrayEquals(new float[] {0f, 2f, 2.25f, 2.5f, 2.75f, 0f}, dest);
  }
}
