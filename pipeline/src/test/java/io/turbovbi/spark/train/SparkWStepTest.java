package io.turbovbi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.nn.Seeds;
import io.turbovbi.nn.Update;
import io.turbovbi.turbo.WStep;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distributed w-step computes what one JVM computes from the same batches, whatever the partitioning. The
 * batches are those the Spark trainer defines (each sample's batch from a hash of seed, epoch and id), not the
 * shuffled order of the single-JVM trainer, so that the executors choose them without the driver: the reference
 * below builds them on one JVM from the whole data set and trains with one engine and no Spark.
 */
class SparkWStepTest {
  private static final NetworkRecipe RECIPE = new NetworkRecipe("dense(24) relu dense(10)", 1, 28, 28, 10, true, -9);
  private static final OptimizerSettings ADAM = new OptimizerSettings("adam", 1e-3, 1e-3, 0);
  private static final long SEED = 5;
  private static final int BATCH = 100;
  private static final int EPOCHS = 2;
  private static LabeledSamples train;
  private static LabeledSamples validation;

  @BeforeAll
  static void data() {
    LabeledSamples sample = BuiltInSample.train();
    train = sample.head(1200);
    validation = sample.subset(IntStream.range(9000, 9500).toArray());
  }

  static SparkSession session(String master) {
    SparkConf conf = TurboKryoRegistrator.configure(new SparkConf().setMaster(master).setAppName("test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
    SparkSession session = SparkSession.builder().config(conf).getOrCreate();
    session.sparkContext().setLogLevel("WARN");
    return session;
  }

  static ShardedData sharded(SparkSession session, LabeledSamples samples, int partitions) {
    return SampleSource.of(SampleFrames.of(session, samples, partitions), DataFrameSamples.of(samples.shape(),
        samples.numClasses()), "test data", partitions).select(SampleSource.Selection.all());
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

  /** The same training on one JVM: every batch gathered from the whole set, one gradient per batch, no Spark. */
  private static float[] oneJvmResult() {
    Network network = RECIPE.build();
    float[] params = network.initialParameters(SEED);
    int n = train.size();
    int batches = (n + BATCH - 1) / BATCH;
    try (GradientEngine engine = new GradientEngine(network, 1, n)) {
      Optimizer optimizer = ADAM.build(network);
      Update update = new VariationalUpdate(precisions(network, 3), -8).build(network, optimizer, engine);
      for (int epoch = 0; epoch < EPOCHS; epoch++) {
        for (int b = 0; b < batches; b++) {
          int batch = b;
          int epochNumber = epoch;
          int[] members = IntStream.range(0, n).filter(i -> SampleHash.batchOf(SEED, epochNumber, i, batches) == batch)
              .toArray();
          if (members.length == 0) {
            continue;
          }
          long[] keys = Arrays.stream(members).mapToLong(i -> Seeds.derive(SEED, epochNumber, i)).toArray();
          float[] gradients = new float[params.length];
          engine.gradient(params, train.features(), train.labels(), members, 0, members.length, keys, gradients);
          update.apply(params, gradients, members.length, n);
        }
      }
    }
    return params;
  }

  /** The trained parameters, and the validation accuracy the executors scored for them. */
  private record SparkRun(float[] params, double validationAccuracy) {}

  private static SparkRun sparkResult(String master, int partitions, SparkTrainer.Mode mode) {
    Network network = RECIPE.build();
    SparkSession session = session(master);
    try (SparkWStep step = new SparkWStep(new SparkTrainer(JavaSparkContext.fromSparkContext(session.sparkContext()),
        RECIPE, network.initialParameters(SEED), sharded(session, train, partitions), ADAM, SEED,
        new SparkTrainer.Settings(mode, BATCH, 3, 1, 1), 1), sharded(session, validation, partitions), -8)) {
      WStep.Result result = step.run(precisions(network, 3), EPOCHS);
      assertTrue(result.rounds() > 0 && result.bytesMoved() > 0);
      if (mode == SparkTrainer.Mode.GRADIENT) {
        assertEquals(24, result.rounds(), "one round per global batch of 100 on average over 2 epochs of 1200");
      }
      return new SparkRun(step.trainer().parameters().clone(), step.heldOutAccuracy(null));
    } finally {
      session.stop();
    }
  }

  private static double validationAccuracyOnOneJvm(float[] params) {
    Network network = RECIPE.build();
    try (GradientEngine engine = new GradientEngine(network, 1, 256)) {
      return engine.evaluate(params, validation.features(), validation.labels(), 0, validation.size()).accuracy();
    }
  }

  @Test
  void gradientModeMatchesOneJvmOnOneTwoAndThreePartitions() {
    float[] expected = oneJvmResult();
    for (String[] run : new String[][] {{"local[1]", "1"}, {"local[2]", "2"}, {"local[2]", "3"}}) {
      SparkRun actual = sparkResult(run[0], Integer.parseInt(run[1]), SparkTrainer.Mode.GRADIENT);
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual.params()[i]));
      }
      assertTrue(worst < 1e-4, run[0] + " with " + run[1] + " partitions differs by " + worst);
      assertEquals(validationAccuracyOnOneJvm(actual.params()), actual.validationAccuracy(), 1e-12,
          "validation accuracy scored on the executors");
    }
  }

  @Test
  void averagingModeLearns() {
    Network network = RECIPE.build();
    double before = validationAccuracyOnOneJvm(network.initialParameters(SEED));
    double after = validationAccuracyOnOneJvm(sparkResult("local[2]", 2, SparkTrainer.Mode.AVERAGE).params());
    // Two partitions taking 3 local steps per round make half the progress per epoch of gradient mode's 24 steps.
    assertTrue(after > 0.35 && after > before + 0.25, "validation accuracy " + before + " -> " + after);
  }
}
