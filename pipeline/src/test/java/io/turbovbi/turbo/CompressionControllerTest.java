package io.turbovbi.turbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressionControllerTest {
  private static final int[] SIZES = {300, 120, 40};

  private static double[][] randomEvidence(long seed) {
    Random random = new Random(seed);
    double[][] evidence = new double[SIZES.length][];
    for (int k = 0; k < SIZES.length; k++) {
      evidence[k] = random.doubles(SIZES[k], -8, 8).toArray();
    }
    return evidence;
  }

  private static Control compression(double target) {
    return new Control(Control.Kind.COMPRESSION, target, RampSchedule.CUBIC, 4, 2, 0);
  }

  @Test
  void bisectionKeepsExactlyTheAskedCountAndTheStrongestEvidence() {
    double[][] evidence = randomEvidence(3);
    CompressionController controller = new CompressionController(compression(10), MaskCost.withoutRemoval(
        new long[] {2, 2, 2}), SIZES);
    double[] all = Arrays.stream(evidence).flatMapToDouble(Arrays::stream).sorted().toArray();
    for (int count : new int[] {0, 1, 46, 230, 459, 460}) {
      CompressionController.Offset offset = controller.solve(evidence, count);
      assertEquals(count, offset.kept().weights(), "count " + count);
      if (count > 0 && count < all.length) {
        double weakestKept = all[all.length - count];
        for (int k = 0; k < SIZES.length; k++) {
          for (int n = 0; n < SIZES[k]; n++) {
            assertEquals(evidence[k][n] >= weakestKept, offset.masks()[k][n], "the top " + count + " by evidence");
          }
        }
      }
    }
  }

  @Test
  void theMaskIsWhereEvidencePlusOffsetIsPositive() {
    double[][] evidence = randomEvidence(5);
    CompressionController controller = new CompressionController(compression(10), MaskCost.withoutRemoval(
        new long[] {2, 2, 2}), SIZES);
    CompressionController.Offset offset = controller.solve(evidence, 100);
    for (int k = 0; k < SIZES.length; k++) {
      for (int n = 0; n < SIZES[k]; n++) {
        assertEquals(evidence[k][n] + offset.beta() > 0, offset.masks()[k][n]);
      }
    }
  }

  @Test
  void countsWhatUnitRemovalTakesAsWell() {
    // a cost that removes the second half of layer 0 whenever its first weight is off
    MaskCost removing = new MaskCost() {
      @Override
      public long[] flopsPerWeight() {
        return new long[] {2, 2, 2};
      }

      @Override
      public Kept afterRemoval(boolean[][] masks) {
        boolean[][] left = Arrays.stream(masks).map(boolean[]::clone).toArray(boolean[][]::new);
        if (!left[0][0]) {
          Arrays.fill(left[0], 150, 300, false);
        }
        return MaskCost.withoutRemoval(flopsPerWeight()).afterRemoval(left);
      }
    };
    double[][] evidence = randomEvidence(7);
    evidence[0][0] = -100;
    CompressionController controller = new CompressionController(compression(10), removing, SIZES);
    CompressionController.Offset offset = controller.solve(evidence, 46);
    assertEquals(46, offset.kept().weights(), 1, "the count after removal, not the mask's");
    assertTrue(Masks.kept(offset.masks()) > offset.kept().weights(), "the mask itself keeps more");
  }

  @Test
  void aFlopsTargetPrunesExpensiveWeightsFirst() {
    long[] flops = {1152, 2, 2};
    double[][] evidence = new double[SIZES.length][];
    for (int k = 0; k < SIZES.length; k++) {
      evidence[k] = new double[SIZES[k]];
      Arrays.fill(evidence[k], 3.0);
    }
    for (int n = 0; n < SIZES[0]; n++) {
      evidence[0][n] += 0.001 * n;
    }
    Control control = new Control(Control.Kind.FLOPS, 20_000, RampSchedule.CUBIC, 4, 2, 0);
    CompressionController controller = new CompressionController(control, MaskCost.withoutRemoval(flops), SIZES);
    assertEquals(-576, controller.shift(-1, 0), 1e-12, "a conv weight of 576 positions against a dense one");
    assertEquals(-1, controller.shift(-1, 1), 1e-12);
    CompressionController.Offset offset = controller.solve(evidence, 20_000);
    assertFalse(offset.masks()[0][0], "like evidence: the expensive layer goes first");
    assertTrue(offset.masks()[1][0] && offset.masks()[2][0]);
    assertTrue(offset.kept().flops() <= 20_000, "a FLOPs budget is an upper bound: " + offset.kept().flops());
    assertTrue(offset.kept().flops() > 20_000 - 1152, "and the largest mask within it: " + offset.kept().flops());
  }

  @Test
  void keepingMoreThanTheEvidenceSaysLiftsEveryLayerAlike() {
    long[] flops = {1152, 2, 2};
    double[][] evidence = new double[SIZES.length][];
    for (int k = 0; k < SIZES.length; k++) {
      evidence[k] = new double[SIZES[k]];
      Arrays.fill(evidence[k], -3.0);
    }
    Control control = new Control(Control.Kind.FLOPS, 20_000, RampSchedule.CUBIC, 4, 2, 0);
    CompressionController controller = new CompressionController(control, MaskCost.withoutRemoval(flops), SIZES);
    CompressionController.Offset offset = controller.solve(evidence, 20_000);
    assertTrue(offset.beta() > 0, "nothing is kept without a lift");
    assertEquals(controller.shift(offset.beta(), 0), controller.shift(offset.beta(), 1), 1e-12,
        "an expensive weight gets no larger lift than a cheap one");
  }

  @Test
  void scheduleStartsFromTheWholeNetworkAndEndsAtTheTarget() {
    CompressionController controller = new CompressionController(compression(20), MaskCost.withoutRemoval(
        new long[] {2, 2, 2}), SIZES);
    assertEquals(460, controller.scheduledCost(0), 1e-9);
    assertEquals(23, controller.scheduledCost(4), 1e-9);
    assertEquals(23, controller.scheduledCost(6), 1e-9);
    assertTrue(controller.scheduledCost(2) < 460 && controller.scheduledCost(2) > 23);
  }

  @Test
  void theGuardHoldsTheLastSizeThatPassed() {
    Control guarded = new Control(Control.Kind.COMPRESSION, 20, RampSchedule.CUBIC, 4, 2, 5);
    CompressionController controller = new CompressionController(guarded, MaskCost.withoutRemoval(
        new long[] {2, 2, 2}), SIZES);
    double passing = controller.scheduledCost(1);
    assertFalse(controller.guardTrips(1, 0.88, 0.90, new MaskCost.Kept((long) passing, 0)));
    assertTrue(controller.guardTrips(2, 0.84, 0.90, new MaskCost.Kept((long) controller.scheduledCost(2), 0)),
        "6 points below the warm-up with a guard of 5");
    for (int t = 3; t <= 6; t++) {
      assertEquals((long) passing, controller.scheduledCost(t), 1e-9, "held at iteration " + t);
    }
    CompressionController restored = new CompressionController(guarded, MaskCost.withoutRemoval(
        new long[] {2, 2, 2}), SIZES);
    restored.restore(controller.state());
    assertEquals(controller.scheduledCost(5), restored.scheduledCost(5));
  }

  @Test
  void aTargetLargerThanTheNetworkIsRefused() {
    Control tooMany = new Control(Control.Kind.FLOPS, 1e9, RampSchedule.CUBIC, 4, 2, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CompressionController(
        tooMany, MaskCost.withoutRemoval(new long[] {2, 2, 2}), SIZES));
    assertTrue(e.getMessage().contains("920 FLOPs per sample"), e.getMessage());
  }
}
