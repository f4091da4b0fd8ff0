package io.turbovbi.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Param values read as a configuration key would give them. */
class ParamTextTest {
  @Test
  void numbersLoseTheirExponentAndTrailingZerosAndListsTheirBrackets() {
    assertEquals("0.0001", ParamText.of(1e-4));
    assertEquals("40", ParamText.of(40.0));
    assertEquals("-10", ParamText.of(-10.0));
    assertEquals("0.00001,0.625", ParamText.of(new double[] {1e-5, 0.625}));
    assertEquals("16", ParamText.of(16));
    assertEquals("true", ParamText.of(true));
    assertEquals("rows,iid", ParamText.of(new String[] {"rows", "iid"}));
    assertEquals("", ParamText.of(""));
  }
}
