package io.turbovbi.turbo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.mrf.MrfMode;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.prior.Factorisation;
import io.turbovbi.prior.GammaMixturePrior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outer loop against a w-step whose answer is known in closed form. */
class TurboVbiTest {
  private static final GammaMixturePrior PRIOR = new GammaMixturePrior(1, 1, 1, 1e-4);

  /**
   * A w-step whose weights are fixed "data" values shrunk by their precision: mu_n = t_n / (1 + rho_n / 100),
   * sigma_n^2 = 1e-4. Strong weights survive a large precision only partly, so Module A keeps them; weak ones do
   * not.
   */
  private static final class ShrinkingWStep implements WStep {
    final float[] targets;
    final List<double[]> precisionsSeen = new ArrayList<>();
    final List<Integer> epochsSeen = new ArrayList<>();
    final List<float[]> meansAfter = new ArrayList<>();
    float[] means;

    ShrinkingWStep(float[] targets) {
      this.targets = targets;
      this.means = targets.clone();
    }

    @Override
    public int[] layerSizes() {
      return new int[] {targets.length};
    }

    @Override
    public Result run(double[][] precisions, int epochs) {
      precisionsSeen.add(precisions[0].clone());
      epochsSeen.add(epochs);
      for (int n = 0; n < targets.length; n++) {
        means[n] = (float) (targets[n] / (1 + precisions[0][n] / 100));
      }
      meansAfter.add(means.clone());
      return new Result(0.5, 1.0, 0.0, 0, 0);
    }

    @Override
    public Posterior posterior() {
      float[] variances = new float[targets.length];
      Arrays.fill(variances, 1e-4f);
      return new Posterior(new float[][] {means.clone()}, new float[][] {variances});
    }

    @Override
    public double heldOutAccuracy(boolean[][] masks) {
      return Double.NaN;
    }
  }

  /** A 4 x 6 layer whose first two rows are strong (0.8) and the rest weak (0.01). */
  private static float[] twoStrongRows() {
    float[] targets = new float[24];
    for (int n = 0; n < 24; n++) {
      targets[n] = n < 12 ? 0.8f : 0.01f;
    }
    return targets;
  }

  private static TurboSettings settings(MrfMode mode, WarmUpPrior warmUp, int iterations, double tolerance,
                                        double target) {
    return new TurboSettings(Factorisation.COLLAPSED, List.of(PRIOR), List.of(MrfParams.of(mode, 0.2, 0.5)),
        warmUp, 3, 2, iterations, tolerance, target);
  }

  @Test
  void warmUpRunsOnTheChosenPriorThenOnModuleAPrecisions() {
    ShrinkingWStep wStep = new ShrinkingWStep(twoStrongRows());
    TurboVbi loop = new TurboVbi(settings(MrfMode.IID, WarmUpPrior.MIXTURE, 2, 0, 0),
        List.of(WeightShape.dense(4, 6)), wStep);
    loop.run(record -> { });
    assertEquals(List.of(3, 2, 2), wStep.epochsSeen);
    double lambda = 0.2 / (0.2 + 0.5);
    double mixture = lambda * 1 + (1 - lambda) * 1e4;
    for (double precision : wStep.precisionsSeen.get(0)) {
      assertEquals(mixture, precision, 1e-9 * mixture);
    }
  }

  @Test
  void activeWarmUpUsesTheActivePrecisionThenModuleAPrecisions() {
    ShrinkingWStep wStep = new ShrinkingWStep(twoStrongRows());
    new TurboVbi(settings(MrfMode.ROWS, WarmUpPrior.ACTIVE, 1, 0, 0), List.of(WeightShape.dense(4, 6)), wStep)
        .run(record -> { });
    assertTrue(Arrays.stream(wStep.precisionsSeen.get(0)).allMatch(p -> p == 1.0));
    double[] afterFirstIteration = wStep.precisionsSeen.get(1);
    assertTrue(afterFirstIteration[0] < 10, "a strong weight gets a weak prior, got " + afterFirstIteration[0]);
    assertTrue(afterFirstIteration[23] > 1000, "a weak weight gets a strong prior, got " + afterFirstIteration[23]);
  }

  @Test
  void finalMaskKeepsTheStrongRowsOnly() {
    ShrinkingWStep wStep = new ShrinkingWStep(twoStrongRows());
    TurboVbi.Result result = new TurboVbi(settings(MrfMode.ROWS, WarmUpPrior.ACTIVE, 4, 0, 0),
        List.of(WeightShape.dense(4, 6)), wStep).run(record -> { });
    boolean[] expected = new boolean[24];
    Arrays.fill(expected, 0, 12, true);
    assertArrayEquals(expected, result.masks()[0]);
    for (int n = 0; n < 24; n++) {
      assertEquals(result.pit()[0][n] > TurboVbi.ACTIVE_THRESHOLD, result.masks()[0][n]);
    }
  }

  @Test
  void historyHasTheWarmUpAndEveryIteration() {
    List<IterationRecord> seen = new ArrayList<>();
    TurboVbi.Result result = new TurboVbi(settings(MrfMode.GRID, WarmUpPrior.ACTIVE, 3, 0, 0),
        List.of(WeightShape.dense(4, 6)), new ShrinkingWStep(twoStrongRows())).run(seen::add);
    assertEquals(4, seen.size());
    assertEquals(seen, result.history());
    assertEquals(0, seen.get(0).iteration());
    assertEquals(1.0, seen.get(0).activeShare()[0], "nothing is pruned before Module B has run");
    assertEquals(0.5, seen.get(3).activeShare()[0], 1e-12);
    assertEquals(2.0, seen.get(3).compression(), 1e-12);
    assertTrue(seen.get(1).bpSweeps()[0] > 0, "grid mode runs loopy belief propagation");
  }

  @Test
  void stopsWhenTheTargetCompressionIsReached() {
    List<IterationRecord> seen = new ArrayList<>();
    new TurboVbi(settings(MrfMode.ROWS, WarmUpPrior.ACTIVE, 10, 0, 2.0), List.of(WeightShape.dense(4, 6)),
        new ShrinkingWStep(twoStrongRows())).run(seen::add);
    assertEquals(1, seen.get(seen.size() - 1).iteration(), "half the weights go in the first iteration");
  }

  @Test
  void stopsWhenPitAndMeansNoLongerChange() {
    List<IterationRecord> seen = new ArrayList<>();
    new TurboVbi(settings(MrfMode.ROWS, WarmUpPrior.ACTIVE, 50, 1e-6, 0), List.of(WeightShape.dense(4, 6)),
        new ShrinkingWStep(twoStrongRows())).run(seen::add);
    IterationRecord last = seen.get(seen.size() - 1);
    assertTrue(last.iteration() < 50, "a fixed point is reached well before T_max");
    assertTrue(last.pitChange() < 1e-6 && last.meanChange() < 1e-6);
    assertFalse(seen.get(1).pitChange() < 1e-6);
  }

  @Test
  void relativeChangeIsTheRatioOfEuclideanNorms() {
    assertEquals(0.5, TurboVbi.relativeChange(new double[][] {{3, 4}}, new double[][] {{6, 8}}), 1e-12);
    assertEquals(0.0, TurboVbi.relativeChange(new double[][] {{0}}, new double[][] {{0}}));
  }

  @Test
  void aLoopRestoredFromACheckpointEndsLikeAnUninterruptedOne() {
    TurboSettings settings = settings(MrfMode.GRID, WarmUpPrior.ACTIVE, 4, 0, 0);
    List<WeightShape> shapes = List.of(WeightShape.dense(4, 6));
    TurboVbi.Result uninterrupted = new TurboVbi(settings, shapes, new ShrinkingWStep(twoStrongRows()))
        .run(record -> { });

    ShrinkingWStep firstWStep = new ShrinkingWStep(twoStrongRows());
    TurboVbi first = new TurboVbi(settings, shapes, firstWStep);
    List<TurboVbi.State> checkpoints = new ArrayList<>();
    first.run(record -> { }, () -> checkpoints.add(first.state()));
    TurboVbi.State afterTwo = checkpoints.get(2);
    assertEquals(2, afterTwo.iteration());

    ShrinkingWStep resumedWStep = new ShrinkingWStep(twoStrongRows());
    resumedWStep.means = firstWStep.meansAfter.get(2);
    TurboVbi resumed = new TurboVbi(settings, shapes, resumedWStep);
    resumed.restore(afterTwo);
    List<IterationRecord> seen = new ArrayList<>();
    TurboVbi.Result result = resumed.run(seen::add);
    assertEquals(List.of(3, 4), seen.stream().map(IterationRecord::iteration).toList());
    assertArrayEquals(uninterrupted.pit()[0], result.pit()[0], 1e-12);
    assertArrayEquals(uninterrupted.masks()[0], result.masks()[0]);
    assertEquals(5, result.history().size());
  }
}
