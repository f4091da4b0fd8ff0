package io.turbovbi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.turbo.LocalWStep;
import io.turbovbi.turbo.WStep;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The distributed w-step computes what the single-JVM w-step computes, whatever the partitioning. */
class SparkWStepTest {
  private static final NetworkRecipe RECIPE = new NetworkRecipe("dense(24) relu dense(10)", 1, 28, 28, 10, true, -9);
  private static final OptimizerSettings ADAM = new OptimizerSettings("adam", 1e-3, 1e-3, 0);
  private static final long SEED = 5;
  private static LabeledSamples train;
  private static LabeledSamples validation;

  @BeforeAll
  static void data() {
    LabeledSamples sample = BuiltInSample.train();
    train = sample.head(1200);
    validation = sample.subset(java.util.stream.IntStream.range(9000, 9500).toArray());
  }

  static JavaSparkContext context(String master) {
    SparkConf conf = TurboKryoRegistrator.configure(new SparkConf().setMaster(master).setAppName("test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
    JavaSparkContext context = new JavaSparkContext(conf);
    context.setLogLevel("WARN");
    return context;
  }

  private static double[][] precisions(Network network, double value) {
    int[] sizes = Arrays.stream(network.weightLayers())
        .map(l -> network.block(l, io.turbovbi.nn.ParamKind.WEIGHT).length()).toArray();
    return Arrays.stream(sizes).mapToObj(n -> {
      double[] p = new double[n];
      Arrays.fill(p, value);
      return p;
    }).toArray(double[][]::new);
  }

  private static float[] localResult() {
    Network network = RECIPE.build();
    try (LocalWStep local = new LocalWStep(network, network.initialParameters(SEED), train, validation,
        ADAM.build(network), 100, 1, SEED, -8)) {
      local.run(precisions(network, 3), 2);
      return local.parameters().clone();
    }
  }

  private static float[] sparkResult(String master, int partitions, SparkTrainer.Mode mode) {
    Network network = RECIPE.build();
    try (JavaSparkContext spark = context(master);
         SparkWStep step = new SparkWStep(new SparkTrainer(spark, RECIPE, network.initialParameters(SEED),
             ShardedData.of(spark, train, partitions), ADAM, SEED, new SparkTrainer.Settings(mode, 100, 3, 1, 1), 1),
             validation, -8)) {
      WStep.Result result = step.run(precisions(network, 3), 2);
      assertTrue(result.rounds() > 0 && result.bytesMoved() > 0);
      if (mode == SparkTrainer.Mode.GRADIENT) {
        assertEquals(24, result.rounds(), "one round per global batch of 100 over 2 epochs of 1200");
      }
      return step.trainer().parameters().clone();
    }
  }

  @Test
  void gradientModeMatchesTheSingleJvmWStepOnOneTwoAndThreePartitions() {
    float[] expected = localResult();
    for (String[] run : new String[][] {{"local[1]", "1"}, {"local[2]", "2"}, {"local[2]", "3"}}) {
      float[] actual = sparkResult(run[0], Integer.parseInt(run[1]), SparkTrainer.Mode.GRADIENT);
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      assertTrue(worst < 1e-4, run[0] + " with " + run[1] + " partitions differs by " + worst);
    }
  }

  @Test
  void averagingModeLearns() {
    Network network = RECIPE.build();
    float[] initial = network.initialParameters(SEED);
    float[] trained = sparkResult("local[2]", 2, SparkTrainer.Mode.AVERAGE);
    try (io.turbovbi.nn.GradientEngine engine = new io.turbovbi.nn.GradientEngine(network, 1, 256)) {
      double before = engine.evaluate(initial, validation.features(), validation.labels(), 0, validation.size())
          .correct() / (double) validation.size();
      double after = engine.evaluate(trained, validation.features(), validation.labels(), 0, validation.size())
          .correct() / (double) validation.size();
      // Two partitions taking 3 local steps per round make half the progress per epoch of gradient mode's 24 steps.
      assertTrue(after > 0.35 && after > before + 0.25, "validation accuracy " + before + " -> " + after);
    }
  }
}
