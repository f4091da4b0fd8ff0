package io.turbovbi.turbo;

import java.util.Arrays;

/**
 * The compression controller of DESIGN 2: at outer iteration t it finds one global log-odds offset beta_t, added
 * to every weight's prior log-odds in the s-step, such that the mask (pit &gt; 0.5) keeps, after unit removal, the
 * cost the schedule asks for (weights for a compression target, FLOPs for a FLOPs target). Modules A and B decide
 * which weights survive; the schedule decides how many. For a FLOPs target the offset of a weight is scaled by the
 * FLOPs it costs relative to the cheapest weight when it prunes (beta &lt; 0), so expensive weights (a conv1 weight
 * of LeNet-5 costs 576 multiply-adds per sample, a dense weight one) need more evidence to stay; when it must keep
 * more than the evidence alone would (beta &gt; 0) every weight gets the same lift, so that no weight is favoured for
 * being expensive.
 *
 * <p>A weight with evidence e_n = logit(pi_n) + LLR_A,n and offset scale c_n is kept iff e_n + shift(beta) &gt; 0,
 * shift = beta c_n for beta &lt; 0 and beta otherwise, i.e. iff beta exceeds its threshold (-e_n / c_n for e_n &gt; 0,
 * -e_n otherwise). The cost after unit removal never falls as beta grows, so the controller bisects over the sorted
 * thresholds: O(log N) evaluations of the cost, and the count it meets is exact up to ties and to what unit removal
 * takes in one piece.
 *
 * <p>The accuracy guard: while ramping, when the masked network's validation accuracy falls more than the guard
 * below the warm-up's, the controller stops ramping and holds the last cost that passed for the rest of the run.
 */
public final class CompressionController {
  private final Control control;
  private final MaskCost cost;
  private final double[] offsetScale;
  private final MaskCost.Kept whole;
  private final double fullCost;
  private final double finalCost;
  private double heldCost = Double.NaN;
  private double lastPassingCost;

  /** The offset the controller chose and the mask it gives. */
  public record Offset(double beta, boolean[][] masks, MaskCost.Kept kept) {}

  public CompressionController(Control control, MaskCost cost, int[] layerSizes) {
    if (!control.controlled()) {
      throw new IllegalArgumentException("a free-running loop has no controller");
    }
    this.control = control;
    this.cost = cost;
    long[] flops = cost.flopsPerWeight();
    if (flops.length != layerSizes.length) {
      throw new IllegalArgumentException(flops.length + " FLOPs per weight for " + layerSizes.length + " layers");
    }
    long cheapest = Arrays.stream(flops).min().orElse(1);
    offsetScale = new double[flops.length];
    for (int k = 0; k < flops.length; k++) {
      offsetScale[k] = control.kind() == Control.Kind.FLOPS ? (double) flops[k] / cheapest : 1;
    }
    boolean[][] all = new boolean[layerSizes.length][];
    for (int k = 0; k < all.length; k++) {
      all[k] = new boolean[layerSizes[k]];
      Arrays.fill(all[k], true);
    }
    whole = cost.afterRemoval(all);
    fullCost = measure(whole);
    finalCost = control.kind() == Control.Kind.COMPRESSION ? whole.weights() / control.target() : control.target();
    if (finalCost > fullCost) {
      throw new IllegalArgumentException("the " + control.kind().key() + " target " + control.target()
          + " asks for more than the whole network (" + (long) fullCost + " FLOPs per sample)");
    }
    lastPassingCost = fullCost;
  }

  /** The weights and FLOPs of the whole network. */
  public MaskCost.Kept whole() {
    return whole;
  }

  /** The cost the schedule asks for after outer iteration {@code iteration} (1-based), or the held one. */
  public double scheduledCost(int iteration) {
    if (!Double.isNaN(heldCost)) {
      return heldCost;
    }
    return fullCost * control.schedule().share(iteration, control.ramp(), finalCost / fullCost);
  }

  /**
   * The log-odds shift offset {@code beta} gives the weights of layer {@code layer}: beta scaled by the layer's FLOPs
   * ratio (1 for a compression target) when it prunes, beta itself when it lifts.
   */
  public double shift(double beta, int layer) {
    return beta < 0 ? beta * offsetScale[layer] : beta;
  }

  /**
   * The offset whose mask comes closest to {@code targetCost} after unit removal (for a FLOPs budget: the largest
   * mask within it).
   *
   * @param evidence per weight layer, logit(pi_n) + LLR_A,n
   */
  public Offset solve(double[][] evidence, double targetCost) {
    int total = Arrays.stream(evidence).mapToInt(e -> e.length).sum();
    double[] thresholds = new double[total];
    int n = 0;
    for (int k = 0; k < evidence.length; k++) {
      for (double e : evidence[k]) {
        thresholds[n++] = e > 0 ? -e / offsetScale[k] : -e;
      }
    }
    Arrays.sort(thresholds);
    // the smallest count of thresholds below beta whose cost reaches the target
    int low = 0;
    int high = total;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (measure(cost.afterRemoval(masks(evidence, beta(thresholds, middle)))) >= targetCost) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    Offset above = offset(evidence, beta(thresholds, low));
    if (low == 0) {
      return above;
    }
    Offset below = offset(evidence, beta(thresholds, low - 1));
    if (control.kind() == Control.Kind.FLOPS) {
      return measure(above.kept()) <= targetCost ? above : below; // a FLOPs budget is an upper bound
    }
    return measure(above.kept()) - targetCost <= targetCost - measure(below.kept()) ? above : below;
  }

  /**
   * Called after each iteration's w-step with the masked network's validation accuracy and the warm-up's: returns
   * true when the guard trips, after which the controller holds the last cost that passed.
   */
  public boolean guardTrips(int iteration, double maskedAccuracy, double warmUpAccuracy, MaskCost.Kept kept) {
    boolean ramping = Double.isNaN(heldCost) && iteration <= control.ramp();
    if (ramping && control.guardPoints() > 0 && maskedAccuracy < warmUpAccuracy - control.guardPoints() / 100) {
      heldCost = lastPassingCost;
      return true;
    }
    if (Double.isNaN(heldCost)) {
      lastPassingCost = measure(kept);
    }
    return false;
  }

  /** The held cost (NaN while the schedule runs) and the last cost that passed the guard, for a checkpoint. */
  public double[] state() {
    return new double[] {heldCost, lastPassingCost};
  }

  public void restore(double[] state) {
    if (state.length != 2) {
      throw new IllegalArgumentException("controller state is the held and the last passing cost, got "
          + state.length + " values");
    }
    heldCost = state[0];
    lastPassingCost = state[1];
  }

  private Offset offset(double[][] evidence, double beta) {
    boolean[][] masks = masks(evidence, beta);
    return new Offset(beta, masks, cost.afterRemoval(masks));
  }

  /** An offset between the (count-1)-th and the count-th smallest thresholds: it keeps exactly those below it. */
  private static double beta(double[] thresholds, int count) {
    if (thresholds.length == 0) {
      return 0;
    }
    if (count == 0) {
      return thresholds[0] - 1;
    }
    if (count == thresholds.length) {
      return thresholds[count - 1] + 1;
    }
    return 0.5 * (thresholds[count - 1] + thresholds[count]);
  }

  /** DESIGN 2, controlled s-step: kept iff logit(pi_n) + LLR_A,n + shift(beta) &gt; 0. */
  boolean[][] masks(double[][] evidence, double beta) {
    boolean[][] masks = new boolean[evidence.length][];
    for (int k = 0; k < evidence.length; k++) {
      double shift = shift(beta, k);
      masks[k] = new boolean[evidence[k].length];
      for (int n = 0; n < evidence[k].length; n++) {
        masks[k][n] = evidence[k][n] + shift > 0;
      }
    }
    return masks;
  }

  private double measure(MaskCost.Kept kept) {
    return control.kind() == Control.Kind.FLOPS ? kept.flops() : kept.weights();
  }
}
