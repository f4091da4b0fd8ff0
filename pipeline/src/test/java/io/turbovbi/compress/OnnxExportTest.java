package io.turbovbi.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** An exported network, run by ONNX Runtime, computes what the engine computes. */
class OnnxExportTest {
  private static final int IMAGES = 300;

  private static double largestDifference(String description) throws Exception {
    NetworkSpec spec = NetworkSpec.parse(description);
    Network network = spec.build(1, 28, 28, 10, LayerFactory.DETERMINISTIC);
    float[] params = network.initialParameters(5);
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < params.length; i++) {
      if (random.nextDouble() < 0.7) {
        params[i] = 0f;
      }
    }
    MeanNetwork model = new MeanNetwork(spec, network, params);
    LabeledSamples test = BuiltInSample.test();
    float[] expected = new float[IMAGES * 10];
    try (GradientEngine engine = new GradientEngine(network, 1, IMAGES)) {
      engine.predict(params, test.features(), 0, IMAGES, expected);
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession session = environment.createSession(OnnxExport.toBytes(model, "test"));
         OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(test.features(), 0, IMAGES * 784),
             new long[] {IMAGES, 784});
         OrtSession.Result result = session.run(Map.of("input", input))) {
      float[][] logits = (float[][]) result.get("logits").get().getValue();
      float[][] probability = (float[][]) result.get("probability").get().getValue();
      double worst = 0;
      for (int s = 0; s < IMAGES; s++) {
        double sum = 0;
        for (int j = 0; j < 10; j++) {
          worst = Math.max(worst, Math.abs(logits[s][j] - expected[s * 10 + j]));
          sum += probability[s][j];
        }
        assertEquals(1.0, sum, 1e-5);
      }
      return worst;
    }
  }

  @Test
  void lenet300InOnnxRuntimeGivesTheEnginesLogits() throws Exception {
    double worst = largestDifference("lenet300");
    assertTrue(worst < 1e-4, "largest difference " + worst);
  }

  @Test
  void lenet5InOnnxRuntimeGivesTheEnginesLogits() throws Exception {
    double worst = largestDifference("lenet5");
    assertTrue(worst < 1e-4, "largest difference " + worst);
  }

  @Test
  void stridedAndPaddedConvolutionsExportToo() throws Exception {
    double worst = largestDifference("conv(4,3,stride=2,pad=1) relu maxpool(2,stride=1) flatten dense(10)");
    assertTrue(worst < 1e-4, "largest difference " + worst);
  }
}
