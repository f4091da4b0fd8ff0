package io.turbovbi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageShapeTest {

  @Test
  void sizeIsChannelsTimesHeightTimesWidth() {
    assertEquals(784, new ImageShape(1, 28, 28).size());
    assertEquals(3 * 32 * 32, new ImageShape(3, 32, 32).size());
  }

  @Test
  void nonPositiveDimensionsAreRejectedWithTheShapeInTheMessage() {
    String message = assertThrows(IllegalArgumentException.class, () -> new ImageShape(1, 0, 28)).getMessage();
    assertTrue(message.contains("1x0x28"), message);
    assertThrows(IllegalArgumentException.class, () -> new ImageShape(-1, 28, 28));
    assertThrows(IllegalArgumentException.class, () -> new ImageShape(1, 28, -28));
  }

  @Test
  void sizeBeyondAnIntIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ImageShape(1 << 11, 1 << 10, 1 << 10));
  }

  @Test
  void toStringParsesBack() {
    ImageShape shape = new ImageShape(3, 32, 16);
    assertEquals("3x32x16", shape.toString());
    assertEquals(shape, ImageShape.parse(shape.toString()));
    assertEquals(shape, ImageShape.parse(" 3 x 32 X 16 "));
  }

  @Test
  void parseRejectsOtherForms() {
    String message = assertThrows(IllegalArgumentException.class, () -> ImageShape.parse("28x28")).getMessage();
    assertTrue(message.contains("'28x28'"), message);
    assertThrows(IllegalArgumentException.class, () -> ImageShape.parse("1xax28"));
    assertThrows(IllegalArgumentException.class, () -> ImageShape.parse("1x0x28"));
  }
}
