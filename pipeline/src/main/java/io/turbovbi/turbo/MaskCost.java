package io.turbovbi.turbo;

/**
 * What a support mask costs once dead units are removed, the quantity the compression controller steers: removing a
 * neuron or channel with no incoming (or no outgoing) weights also takes its other weights, so the network the user
 * gets can be smaller than the mask says.
 */
public interface MaskCost {
  /** Weights and FLOPs per sample (2 per multiply-add of a non-zero weight) of the network a mask leaves. */
  record Kept(long weights, long flops) {}

  /** Per weight layer, the FLOPs per sample one of its weights costs (2 for a dense layer). */
  long[] flopsPerWeight();

  /** What the network keeps of {@code masks} after unit removal. */
  Kept afterRemoval(boolean[][] masks);

  /** A cost that removes no unit: every masked weight is one weight and costs its layer's FLOPs. */
  static MaskCost withoutRemoval(long[] flopsPerWeight) {
    long[] perWeight = flopsPerWeight.clone();
    return new MaskCost() {
      @Override
      public long[] flopsPerWeight() {
        return perWeight.clone();
      }

      @Override
      public Kept afterRemoval(boolean[][] masks) {
        long weights = 0;
        long flops = 0;
        for (int k = 0; k < masks.length; k++) {
          int kept = Masks.kept(masks[k]);
          weights += kept;
          flops += kept * perWeight[k];
        }
        return new Kept(weights, flops);
      }
    };
  }
}
