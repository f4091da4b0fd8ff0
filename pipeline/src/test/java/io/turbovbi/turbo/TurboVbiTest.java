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

  /**
   * A w-step that halves every mean each call: after each w-step fewer weights deserve to stay than before it, so a
   * history taken before the w-step would describe a larger mask than the run returns.
   */
  private static class HalvingWStep implements WStep {
    float[] means;
    final java.util.function.ToDoubleFunction<boolean[][]> accuracy;
    int runs;

    HalvingWStep(float[] start, java.util.function.ToDoubleFunction<boolean[][]> accuracy) {
      this.means = start.clone();
      this.accuracy = accuracy;
    }

    @Override
    public int[] layerSizes() {
      return new int[] {means.length};
    }

    @Override
    public Result run(double[][] precisions, int epochs) {
      runs++;
      for (int n = 0; n < means.length; n++) {
        means[n] *= 0.5f;
      }
      return new Result(0.5, 1.0, 0.0, 0, 0);
    }

    @Override
    public Posterior posterior() {
      float[] variances = new float[means.length];
      Arrays.fill(variances, 1e-6f);
      return new Posterior(new float[][] {means.clone()}, new float[][] {variances});
    }

    @Override
    public double heldOutAccuracy(boolean[][] masks) {
      return accuracy.applyAsDouble(masks);
    }
  }

  /** 200 weights from 0.001 to 1 on a log scale, in a shuffled order. */
  private static float[] spreadWeights() {
    float[] weights = new float[200];
    java.util.Random random = new java.util.Random(11);
    for (int n = 0; n < weights.length; n++) {
      weights[n] = (float) Math.pow(10, -3 + 3.0 * random.nextDouble());
    }
    return weights;
  }

  private static TurboSettings controlled(Control control, int warmUpEpochs, int patience) {
    return new TurboSettings(Factorisation.COLLAPSED, List.of(PRIOR), List.of(MrfParams.of(MrfMode.ROWS, 0.2, 0.5)),
        WarmUpPrior.ACTIVE, warmUpEpochs, 1, 0, 0, 0, control, patience);
  }

  @Test
  void historyRowsDescribeTheMaskTheRunReturns() {
    List<IterationRecord> seen = new ArrayList<>();
    TurboVbi.Result result = new TurboVbi(settings(MrfMode.IID, WarmUpPrior.ACTIVE, 3, 0, 0),
        List.of(WeightShape.dense(10, 20)), new HalvingWStep(spreadWeights(), masks -> Double.NaN)).run(seen::add);
    IterationRecord last = seen.get(seen.size() - 1);
    assertEquals(Masks.kept(result.masks()[0]) / 200.0, last.activeShare()[0], 1e-12,
        "the last row's share is the final mask's");
    assertEquals(200.0 / Masks.kept(result.masks()[0]), last.compression(), 1e-9);
  }

  @Test
  void theFreeRunningTargetStopsOnTheMaskItReturns() {
    List<IterationRecord> seen = new ArrayList<>();
    TurboVbi.Result result = new TurboVbi(settings(MrfMode.IID, WarmUpPrior.ACTIVE, 30, 0, 3.0),
        List.of(WeightShape.dense(10, 20)), new HalvingWStep(spreadWeights(), masks -> Double.NaN)).run(seen::add);
    double returned = 200.0 / Masks.kept(result.masks()[0]);
    assertEquals(returned, seen.get(seen.size() - 1).compression(), 1e-9, "the stop sees the mask it returns");
    assertTrue(returned >= 3.0, "the run stops once the mask it returns reaches the target, got " + returned);
    assertTrue(seen.get(seen.size() - 2).compression() < 3.0, "and not an iteration later");
  }

  @Test
  void meanFieldFinalMaskSeesTheLastWStepsWeights() {
    // the weights are tiny until the last w-step makes them all large
    WStep jumping = new HalvingWStep(new float[24], masks -> Double.NaN) {
      @Override
      public Result run(double[][] precisions, int epochs) {
        runs++;
        Arrays.fill(means, runs == 3 ? 1.0f : 0.001f);
        return new Result(0.5, 1.0, 0.0, 0, 0);
      }
    };
    TurboSettings meanField = new TurboSettings(Factorisation.MEANFIELD,
        List.of(new GammaMixturePrior(1, 0.1, 1, 0.01)), List.of(MrfParams.of(MrfMode.IID, 0.2, 0.5)),
        WarmUpPrior.ACTIVE, 1, 1, 2, 0, 0);
    TurboVbi.Result result = new TurboVbi(meanField, List.of(WeightShape.dense(4, 6)), jumping).run(record -> { });
    assertEquals(24, Masks.kept(result.masks()[0]), "q(rho) refreshed from the final weights before the last LLR");
  }

  @Test
  void aControlledRunKeepsTheScheduledCountAfterEveryIteration() {
    Control control = new Control(Control.Kind.COMPRESSION, 10, RampSchedule.CUBIC, 4, 2, 0);
    List<IterationRecord> seen = new ArrayList<>();
    TurboVbi.Result result = new TurboVbi(controlled(control, 1, 0), List.of(WeightShape.dense(10, 20)),
        new HalvingWStep(spreadWeights(), masks -> Double.NaN)).run(seen::add);
    assertEquals(7, seen.size(), "warm-up, a ramp of 4 and a hold of 2");
    for (IterationRecord record : seen.subList(1, seen.size())) {
      double asked = 200 * RampSchedule.CUBIC.share(record.iteration(), 4, 0.1);
      assertEquals(Math.round(asked), 200 / record.prunedCompression(), 0.5 + 1e-9, "iteration "
          + record.iteration());
    }
    assertEquals(20, Masks.kept(result.masks()[0]));
  }

  @Test
  void theAccuracyGuardStopsTheRampAtTheLastSizeThatPassed() {
    Control control = new Control(Control.Kind.COMPRESSION, 10, RampSchedule.CUBIC, 4, 2, 10);
    // the masked network keeps its accuracy while at least 30% of the weights stay
    HalvingWStep wStep = new HalvingWStep(spreadWeights(),
        masks -> masks == null || Masks.kept(masks[0]) >= 60 ? 0.9 : 0.5);
    List<IterationRecord> seen = new ArrayList<>();
    TurboVbi.Result result = new TurboVbi(controlled(control, 1, 0), List.of(WeightShape.dense(10, 20)), wStep)
        .run(seen::add);
    assertFalse(seen.get(1).guardTripped());
    assertTrue(seen.get(2).guardTripped(), "iteration 2 asks for 21% of the weights");
    long passed = Math.round(200 / seen.get(1).prunedCompression());
    assertEquals(passed, Masks.kept(result.masks()[0]), "the run ends at the last size that passed");
    for (IterationRecord record : seen.subList(3, seen.size())) {
      assertEquals(passed, Math.round(200 / record.prunedCompression()), "held at iteration " + record.iteration());
    }
  }

  @Test
  void theWarmUpEndsWhenTheValidationAccuracyStopsImproving() {
    double[] accuracies = {0.5, 0.6, 0.6, 0.55, 0.7, 0.8};
    HalvingWStep wStep = new HalvingWStep(spreadWeights(), masks -> Double.NaN) {
      @Override
      public double heldOutAccuracy(boolean[][] masks) {
        return masks == null ? accuracies[Math.min(runs, accuracies.length) - 1] : 0.5;
      }
    };
    Control control = new Control(Control.Kind.COMPRESSION, 2, RampSchedule.CUBIC, 1, 0, 0);
    List<IterationRecord> seen = new ArrayList<>();
    new TurboVbi(controlled(control, 10, 2), List.of(WeightShape.dense(10, 20)), wStep).run(seen::add);
    assertEquals(4, seen.get(0).epochs(), "best at epoch 2, then two epochs without improvement");
    assertEquals(0.55, seen.get(0).heldOutAccuracy(), 1e-12);
  }
}
