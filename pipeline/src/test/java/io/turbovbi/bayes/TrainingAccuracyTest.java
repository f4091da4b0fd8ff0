package io.turbovbi.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.Adam;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.Trainer;
import io.turbovbi.nn.Update;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine learns: LeNet-300-100 and LeNet-5, deterministic and variational, reach at least 85% accuracy on the
 * built-in sample's test images after a few epochs on its 10,000 training images.
 */
class TrainingAccuracyTest {
  private static final double REQUIRED_ACCURACY = 0.85;
  private static LabeledSamples train;
  private static LabeledSamples test;

  @BeforeAll
  static void loadSample() {
    train = BuiltInSample.train();
    test = BuiltInSample.test();
  }

  @Test
  void lenet300ReachesRequiredAccuracy() {
    assertAccuracy("lenet300", false, 10);
  }

  @Test
  void variationalLenet300ReachesRequiredAccuracy() {
    assertAccuracy("lenet300", true, 10);
  }

  @Test
  void lenet5ReachesRequiredAccuracy() {
    assertAccuracy("lenet5", false, 6);
  }

  @Test
  void variationalLenet5ReachesRequiredAccuracy() {
    assertAccuracy("lenet5", true, 6);
  }

  @Test
  void sameSeedGivesIdenticalTraining() {
    float[] first = trainedParameters("dense(32) relu dense(10)", true, 1, 7);
    float[] second = trainedParameters("dense(32) relu dense(10)", true, 1, 7);
    assertArrayEquals(first, second, 0f);
  }

  private static void assertAccuracy(String model, boolean variational, int epochs) {
    float[] params = trainedParameters(model, variational, epochs, 1);
    Network network = network(model, variational);
    try (GradientEngine engine = new GradientEngine(network, 2, 256)) {
      GradientEngine.BatchLoss result = engine.evaluate(params, test.features(), test.labels(), 0, test.size());
      double accuracy = (double) result.correct() / result.count();
      assertTrue(accuracy >= REQUIRED_ACCURACY, model + (variational ? " (variational)" : "") + " reached "
          + accuracy + " after " + epochs + " epochs");
    }
  }

  private static Network network(String model, boolean variational) {
    return NetworkSpec.parse(model).build(1, 28, 28, 10,
        variational ? new VariationalLayers(-10) : LayerFactory.DETERMINISTIC);
  }

  private static float[] trainedParameters(String model, boolean variational, int epochs, long seed) {
    Network network = network(model, variational);
    float[] params = network.initialParameters(seed);
    GaussianKl kl = variational ? new GaussianKl(network) : null;
    List<Update.Constraint> constraints = variational ? List.of(new LogVarCap(network, -8)) : List.of();
    try (GradientEngine engine = new GradientEngine(network, 2, 128)) {
      Trainer trainer = new Trainer(engine, new Update(new Adam(network, 1e-3, 1e-3), kl, constraints, engine), 128,
          seed);
      for (int epoch = 0; epoch < epochs; epoch++) {
        trainer.epoch(params, train.features(), train.labels(), epoch);
      }
    }
    return params;
  }
}
