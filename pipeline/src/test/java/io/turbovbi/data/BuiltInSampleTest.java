package io.turbovbi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BuiltInSampleTest {

  private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
  private static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

  @Test
  void trainHoldsTenThousand28By28ImagesOfTenClasses() {
    LabeledSamples train = BuiltInSample.train();
    assertEquals(10_000, train.size());
    assertEquals(SHAPE, train.shape());
    assertEquals(10, train.numClasses());
    assertArrayEquals(new int[] {942, 1027, 1016, 1019, 974, 989, 1021, 1022, 990, 1000}, train.classCounts(),
        "class balance recorded in sample/README.txt");
    assertEquals(9, train.label(0), "the first Fashion-MNIST training image is an ankle boot");
  }

  @Test
  void testHoldsTwoThousand28By28ImagesOfTenClasses() {
    LabeledSamples test = BuiltInSample.test();
    assertEquals(2_000, test.size());
    assertEquals(SHAPE, test.shape());
    assertArrayEquals(new int[] {200, 203, 214, 190, 219, 195, 197, 200, 194, 188}, test.classCounts(),
        "class balance recorded in sample/README.txt");
  }

  @Test
  void pixelsLieInTheUnitIntervalAndUseItsEnds() {
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : BuiltInSample.test().features()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }

  @Test
  void samplesArePrefixesOfTheDebianFiles() {
    Assumptions.assumeTrue(Files.isDirectory(DEBIAN), "Debian dataset-fashion-mnist not installed");
    IdxReader reader = IdxReader.forClasses(10);
    LabeledSamples fullTest = reader.read(DEBIAN.resolve("t10k-images-idx3-ubyte.gz").toString(),
        DEBIAN.resolve("t10k-labels-idx1-ubyte.gz").toString());
    LabeledSamples sample = BuiltInSample.test();
    assertArrayEquals(fullTest.head(2_000).labels(), sample.labels());
    assertArrayEquals(fullTest.head(2_000).features(), sample.features());
  }

  @Test
  void licenceAndReadmeShipWithTheSample() throws Exception {
    for (String name : new String[] {"LICENSE.txt", "README.txt"}) {
      try (var in = BuiltInSample.class.getResourceAsStream(BuiltInSample.RESOURCE_DIR + name)) {
        assertTrue(in != null, name + " missing");
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains("Zalando"), name + " must name the source");
      }
    }
  }

  @Test
  void classNamesCoverEveryLabel() {
    assertEquals(BuiltInSample.NUM_CLASSES, BuiltInSample.CLASS_NAMES.size());
    assertEquals("Ankle boot", BuiltInSample.CLASS_NAMES.get(9));
  }
}
