package io.turbovbi.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLineTest {
  private static String number(double value) {
    String line = new JsonLine().put("x", value).toString();
    return line.substring("{\"x\": ".length(), line.length() - 1);
  }

  @Test
  void numbersKeepSixSignificantDigitsAndDropOnlyFractionalZeros() {
    assertEquals("80", number(80.0));
    assertEquals("0.5", number(0.5));
    assertEquals("100.5", number(100.5));
    assertEquals("393530", number(393530.2));
    assertEquals("100000", number(100000.0));
    assertEquals("1.5e+06", number(1.5e6));
    assertEquals("1e-05", number(1e-5));
    assertEquals("-2.25", number(-2.25));
    assertEquals("null", number(Double.NaN));
  }

  @Test
  void nestsObjectsAndLists() {
    assertEquals("{\"a\": {\"b\": [1, 2]}, \"c\": \"d\\\"e\"}",
        new JsonLine().put("a", new JsonLine().put("b", List.of(1, 2))).put("c", "d\"e").toString());
  }
}
