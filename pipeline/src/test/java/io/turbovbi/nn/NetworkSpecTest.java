package io.turbovbi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetworkSpecTest {
  @Test
  void lenet300HasTheClassicLayerSizes() {
    Network network = NetworkSpec.parse("lenet300").build(1, 28, 28, 10, LayerFactory.DETERMINISTIC);
    assertEquals(784 * 300 + 300 * 100 + 100 * 10, network.weightCount());
    assertEquals(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, network.parameterCount());
    assertEquals("input(1x28x28) dense(784->300) relu dense(300->100) relu dense(100->10)", network.describe());
  }

  @Test
  void lenet5CaffeHasTheClassicLayerSizes() {
    Network network = NetworkSpec.parse("lenet5").build(1, 28, 28, 10, LayerFactory.DETERMINISTIC);
    assertEquals(20 * 25 + 50 * 20 * 25 + 800 * 500 + 500 * 10, network.weightCount());
    assertTrue(network.describe().contains("conv(20->50, 5x5) relu maxpool(2) flatten dense(800->500)"),
        network.describe());
  }

  @Test
  void stridePaddingAndPoolOptionsAreRead() {
    Network network = NetworkSpec.parse("conv(4, 3, stride=2, pad=1) relu pool(2, stride=1) flatten dense(3)")
        .build(2, 9, 9, 3, LayerFactory.DETERMINISTIC);
    // conv: (9 + 2 - 3) / 2 + 1 = 5; pool 2 stride 1: 4
    assertEquals(4 * 4 * 4, network.layers().get(3).outputSize());
  }

  @Test
  void unknownLayerIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkSpec.parse("dense(3) "
        + "tanh dense(2)"));
    assertTrue(e.getMessage().contains("unknown layer 'tanh'"), e.getMessage());
  }

  @Test
  void lastLayerMustMatchTheClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.parse("dense(30) relu dense(5)").build(1, 28, 28, 10, LayerFactory.DETERMINISTIC));
    assertTrue(e.getMessage().contains("5 outputs but the data has 10 classes"), e.getMessage());
  }

  @Test
  void denseAfterConvWithoutFlattenIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.parse("conv(4,3) dense(10)").build(1, 8, 8, 10, LayerFactory.DETERMINISTIC));
    assertTrue(e.getMessage().contains("needs a flatten"), e.getMessage());
  }

  @Test
  void kernelLargerThanItsInputIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.parse("conv(4,5) relu maxpool(2) conv(8,5) flatten dense(10)")
            .build(1, 12, 12, 10, LayerFactory.DETERMINISTIC));
    assertTrue(e.getMessage().contains("kernel 5 does not fit an input of 4x4"), e.getMessage());
  }

  @Test
  void wrongArgumentCountIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkSpec.parse("conv(4)"));
    assertTrue(e.getMessage().contains("conv takes 2 positional argument(s), got 1"), e.getMessage());
  }
}
