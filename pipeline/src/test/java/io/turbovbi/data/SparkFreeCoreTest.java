package io.turbovbi.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The types the network engine uses must not pull Spark or Hadoop onto its classpath. */
class SparkFreeCoreTest {

  /**
   * Every class a class file refers to appears by name in its constant pool, so a class that does not contain the
   * text "org/apache/spark" or "org/apache/hadoop" has no link to them.
   */
  private static void assertNoSparkOrHadoop(Class<?> type) throws IOException {
    String resource = type.getSimpleName() + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertFalse(bytes.contains("org/apache/spark"), type.getName() + " refers to Spark");
      assertFalse(bytes.contains("org/apache/hadoop"), type.getName() + " refers to Hadoop");
    }
  }

  @Test
  void labeledSamplesImageShapeValidationSplitAndTheExceptionUseNoSparkOrHadoop() throws IOException {
    assertNoSparkOrHadoop(LabeledSamples.class);
    assertNoSparkOrHadoop(ImageShape.class);
    assertNoSparkOrHadoop(ValidationSplit.class);
    assertNoSparkOrHadoop(InvalidDataException.class);
  }
}
