package io.turbovbi.mrf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Graph mode of Module B against exact enumeration of the model of DESIGN 1 on small networks. */
class GraphSupportPriorTest {

  private static final int LOOPY_CASES = 40;

  /** Hidden units gating their own row and the next layer's column: stars, so a forest. */
  private static final List<LayerGeometry> UNIT_TREE = List.of(LayerGeometry.dense(2, 3), LayerGeometry.dense(2, 2));
  /** Each neuron's weights over a 1 x 4 image of two channels: chains, a forest. */
  private static final List<LayerGeometry> CHAIN_TREE = List.of(LayerGeometry.denseOnImage(2, 2, 1, 4));
  /** Kernel grids, kernel and filter gates, and the first layer's filter gating the second's input channel. */
  private static final List<LayerGeometry> CONV_STACK = List.of(LayerGeometry.conv(1, 1, 2),
      LayerGeometry.conv(2, 1, 2));
  /** A conv layer's filters gating the channel grids of a dense layer on its output. */
  private static final List<LayerGeometry> CONV_DENSE = List.of(LayerGeometry.conv(2, 1, 2),
      LayerGeometry.denseOnImage(1, 2, 1, 2));
  /** 2 x 2 image grids per neuron, units gating rows and the next layer's inputs. */
  private static final List<LayerGeometry> IMAGE_UNITS = List.of(LayerGeometry.denseOnImage(2, 1, 2, 2),
      LayerGeometry.dense(2, 2));

  @Test
  void hiddenUnitGatesFormATreeAndOnePassIsExact() {
    assertExactOnTree(UNIT_TREE, 21);
  }

  @Test
  void imageRowsOfOnePixelFormChainsAndOnePassIsExact() {
    assertExactOnTree(CHAIN_TREE, 22);
  }

  /**
   * Loopy BP is approximate where the graph has cycles. Observed over 40 random cases (p01, p10 uniform in
   * (0.05, 0.5), gate prior in (0.2, 0.8), leak in (0.02, 0.5), unary log-odds N(0, 2^2), damping 0.5, flooding),
   * largest absolute marginal error per case: median 0.036, 90th percentile 0.112, maximum 0.216; all converged to
   * 1e-10. Bounds sit slightly above.
   */
  @Test
  void convStackWithKernelFilterAndChannelGatesIsCloseToBruteForce() {
    assertErrorDistribution(CONV_STACK, 23, 0.05, 0.13, 0.25);
  }

  /** As above: median 0.020, 90th percentile 0.114, maximum 0.299. */
  @Test
  void convFiltersGatingADenseLayersChannelGridsAreCloseToBruteForce() {
    assertErrorDistribution(CONV_DENSE, 24, 0.03, 0.13, 0.35);
  }

  /** As above: median 0.014, 90th percentile 0.082, maximum 0.148. */
  @Test
  void imageGridsWithUnitGatesAreCloseToBruteForce() {
    assertErrorDistribution(IMAGE_UNITS, 25, 0.02, 0.1, 0.18);
  }

  @Test
  void lenet300GraphHasTheEdgesTheDesignDescribes() {
    SupportGraph graph = SupportGraph.of(List.of(LayerGeometry.denseOnImage(300, 1, 28, 28),
        LayerGeometry.dense(100, 300), LayerGeometry.dense(10, 100)),
        Collections.nCopies(3, MrfParams.of(MrfMode.GRAPH, 0.25, 0.625)));
    long grid = 300L * 2 * 28 * 27;
    long ownUnits = 300L * 784 + 100L * 300;
    long previousUnits = 100L * 300 + 10L * 100;
    assertEquals(grid + ownUnits + previousUnits, graph.edges());
    assertEquals(266_200 + 300 + 100, graph.variables);
  }

  @Test
  void lenet5GraphHasTheEdgesTheDesignDescribes() {
    SupportGraph graph = SupportGraph.of(List.of(LayerGeometry.conv(20, 1, 5), LayerGeometry.conv(50, 20, 5),
        LayerGeometry.denseOnImage(500, 50, 4, 4), LayerGeometry.dense(10, 500)),
        Collections.nCopies(4, MrfParams.of(MrfMode.GRAPH, 0.25, 0.625)));
    long kernelGrid = 2 * 5 * 4;
    long conv1 = 20 * (kernelGrid + 25 + 1);
    long conv2 = 1000 * (kernelGrid + 25 + 1 + 1);
    long dense1 = 500L * 50 * (2 * 4 * 3) + 500L * 800 * 2;
    long dense2 = 10L * 500;
    assertEquals(conv1 + conv2 + dense1 + dense2, graph.edges());
    assertEquals(430_500 + 20 + 20 + 1000 + 50 + 500, graph.variables);
  }

  @Test
  void messagesRestoredFromACheckpointContinueTheSameFixedPoint() {
    Random random = new Random(3);
    List<MrfParams> params = randomParams(random, IMAGE_UNITS.size(), 5000, 1e-12);
    double[][] llrA = GraphBruteForce.split(ModuleBBruteForceTest.randomUnary(random, 12), IMAGE_UNITS);
    SupportPrior original = SupportPrior.create(IMAGE_UNITS, params);
    double[][] before = zeros(IMAGE_UNITS);
    original.update(llrA, before, zeros(IMAGE_UNITS));
    SupportPrior resumed = SupportPrior.create(IMAGE_UNITS, params);
    resumed.restoreMessages(original.messageLogOdds());
    double[][] after = zeros(IMAGE_UNITS);
    MessagePassingReport report = resumed.update(llrA, after, zeros(IMAGE_UNITS))[0];
    assertTrue(report.sweeps() <= 2, "sweeps after the restore: " + report.sweeps());
    for (int k = 0; k < before.length; k++) {
      assertArrayEquals(before[k], after[k], 1e-9);
    }
  }

  @Test
  void graphModeIsForTheWholeNetworkOrNone() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SupportPrior.create(UNIT_TREE,
        List.of(MrfParams.of(MrfMode.GRAPH, 0.25, 0.625), MrfParams.of(MrfMode.ROWS, 0.25, 0.625))));
    assertTrue(e.getMessage().contains("every weight layer or for none"), e.getMessage());
  }

  @Test
  void deadUnitsLowerThePriorOfTheirWeightsAndLiveOnesDoNot() {
    // one neuron whose other weights are clearly active, one whose other weights are clearly off
    List<LayerGeometry> layers = List.of(LayerGeometry.dense(2, 4), LayerGeometry.dense(1, 2));
    List<MrfParams> params = Collections.nCopies(2, new MrfParams(MrfMode.GRAPH, 0.25, 0.625, 0.25, 0.625, 0.5,
        BpSchedule.FLOODING, 100, 1e-9, true, 0.5, 0.05));
    double[][] llrA = {{8, 8, 8, 0, -8, -8, -8, 0}, {0, 0}};
    double[][] llrB = zeros(layers);
    SupportPrior.create(layers, params).update(llrA, llrB, zeros(layers));
    double lambdaLogOdds = Math.log(0.25 / 0.625);
    assertEquals(lambdaLogOdds, llrB[0][3], 1e-3, "weight of a live unit");
    assertTrue(llrB[0][7] < lambdaLogOdds - 0.3, "weight of a likely dead unit: " + llrB[0][7]);
    assertTrue(llrB[1][1] < llrB[1][0] - 0.3, "next layer's input from the dead unit: " + Arrays.toString(llrB[1]));
  }

  private static void assertExactOnTree(List<LayerGeometry> layers, long seed) {
    Random random = new Random(seed);
    int n = layers.stream().mapToInt(LayerGeometry::count).sum();
    for (int trial = 0; trial < 20; trial++) {
      List<MrfParams> params = randomParams(random, layers.size(), 1, 1e-12);
      double[] unary = ModuleBBruteForceTest.randomUnary(random, n);
      double[] exact = new GraphBruteForce(layers, params).weightMarginals(unary);
      double[][] llrB = zeros(layers);
      MessagePassingReport report = SupportPrior.create(layers, params).update(
          GraphBruteForce.split(unary, layers), llrB, zeros(layers))[0];
      assertTrue(report.converged() && report.sweeps() == 1, "one exact pass: " + report);
      double[] belief = beliefs(unary, llrB);
      for (int w = 0; w < n; w++) {
        assertEquals(exact[w], belief[w], 1e-9, "trial " + trial + " weight " + w);
      }
    }
  }

  private static void assertErrorDistribution(List<LayerGeometry> layers, long seed, double median, double p90,
                                              double max) {
    Random random = new Random(seed);
    int n = layers.stream().mapToInt(LayerGeometry::count).sum();
    double[] errors = new double[LOOPY_CASES];
    int notConverged = 0;
    for (int trial = 0; trial < LOOPY_CASES; trial++) {
      List<MrfParams> params = randomParams(random, layers.size(), 5000, 1e-10);
      double[] unary = ModuleBBruteForceTest.randomUnary(random, n);
      double[] exact = new GraphBruteForce(layers, params).weightMarginals(unary);
      double[][] llrB = zeros(layers);
      double[][] pi = zeros(layers);
      if (!SupportPrior.create(layers, params).update(GraphBruteForce.split(unary, layers), llrB, pi)[0]
          .converged()) {
        notConverged++;
      }
      double[] belief = beliefs(unary, llrB);
      for (int w = 0; w < n; w++) {
        errors[trial] = Math.max(errors[trial], Math.abs(belief[w] - exact[w]));
      }
      for (int k = 0; k < pi.length; k++) {
        for (int w = 0; w < pi[k].length; w++) {
          assertEquals(LogOdds.sigmoid(llrB[k][w]), pi[k][w], 1e-15);
        }
      }
    }
    Arrays.sort(errors);
    assertEquals(0, notConverged, "cases that did not converge");
    assertTrue(errors[LOOPY_CASES / 2] < median, "median error " + errors[LOOPY_CASES / 2]);
    assertTrue(errors[LOOPY_CASES * 9 / 10] < p90, "90th percentile error " + errors[LOOPY_CASES * 9 / 10]);
    assertTrue(errors[LOOPY_CASES - 1] < max, "largest error " + errors[LOOPY_CASES - 1]);
  }

  private static double[] beliefs(double[] unary, double[][] llrB) {
    double[] belief = new double[unary.length];
    int w = 0;
    for (double[] layer : llrB) {
      for (double b : layer) {
        belief[w] = LogOdds.sigmoid(unary[w] + b);
        w++;
      }
    }
    return belief;
  }

  private static List<MrfParams> randomParams(Random random, int layers, int sweeps, double tolerance) {
    MrfParams[] out = new MrfParams[layers];
    for (int k = 0; k < layers; k++) {
      double p01 = 0.05 + 0.45 * random.nextDouble();
      double p10 = 0.05 + 0.45 * random.nextDouble();
      out[k] = new MrfParams(MrfMode.GRAPH, p01, p10, p01, p10, 0.5, BpSchedule.FLOODING, sweeps, tolerance, true,
          0.2 + 0.6 * random.nextDouble(), 0.02 + 0.48 * random.nextDouble());
    }
    return List.of(out);
  }

  private static double[][] zeros(List<LayerGeometry> layers) {
    return layers.stream().map(l -> new double[l.count()]).toArray(double[][]::new);
  }
}
