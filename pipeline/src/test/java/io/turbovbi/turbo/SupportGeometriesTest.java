package io.turbovbi.turbo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turbovbi.bayes.VariationalLayers;
import io.turbovbi.mrf.LayerGeometry;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupportGeometriesTest {

  @Test
  void lenet300ReadsTheImageInItsFirstLayerAndHiddenUnitsAfter() {
    assertEquals(List.of(LayerGeometry.denseOnImage(300, 1, 28, 28), LayerGeometry.dense(100, 300),
        LayerGeometry.dense(10, 100)), SupportGeometries.of(NetworkSpec.parse("lenet300").build(1, 28, 28, 10,
        LayerFactory.DETERMINISTIC)));
  }

  @Test
  void lenet5sDenseLayerSeesTheConvStacksFiftyPlanesOfFourByFourThroughFlattenInEitherEngine() {
    List<LayerGeometry> expected = List.of(LayerGeometry.conv(20, 1, 5), LayerGeometry.conv(50, 20, 5),
        LayerGeometry.denseOnImage(500, 50, 4, 4), LayerGeometry.dense(10, 500));
    assertEquals(expected, SupportGeometries.of(NetworkSpec.parse("lenet5").build(1, 28, 28, 10,
        LayerFactory.DETERMINISTIC)));
    assertEquals(expected, SupportGeometries.of(NetworkSpec.parse("lenet5").build(1, 28, 28, 10,
        new VariationalLayers(-10))));
  }

  @Test
  void aPaddedStridedConvolutionChangesThePlaneTheDenseLayerSees() {
    assertEquals(LayerGeometry.denseOnImage(7, 3, 4, 5), SupportGeometries.of(NetworkSpec.parse(
        "conv(3,3,stride=2,pad=1) relu flatten dense(7)").build(2, 8, 10, 7, LayerFactory.DETERMINISTIC)).get(1));
  }
}
