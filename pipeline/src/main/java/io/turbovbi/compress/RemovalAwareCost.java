package io.turbovbi.compress;

import io.turbovbi.nn.Network;
import io.turbovbi.turbo.MaskCost;
import java.util.Arrays;

/**
 * What a support mask of a network keeps once {@link UnitPruner} has removed its dead units: the weights and the
 * FLOPs per sample (2 per multiply-add, a convolution weight counting once per output position), the quantities the
 * compression controller steers.
 */
public final class RemovalAwareCost implements MaskCost {
  private final Network network;
  private final long[] flopsPerWeight;

  public RemovalAwareCost(Network network) {
    this.network = network;
    this.flopsPerWeight = Arrays.stream(network.weightLayers())
        .mapToLong(layer -> 2L * StructureMetrics.positions(network.layers().get(layer))).toArray();
  }

  @Override
  public long[] flopsPerWeight() {
    return flopsPerWeight.clone();
  }

  @Override
  public Kept afterRemoval(boolean[][] masks) {
    boolean[][] surviving = UnitPruner.survivingWeights(network, masks);
    long weights = 0;
    long flops = 0;
    for (int k = 0; k < surviving.length; k++) {
      for (boolean kept : surviving[k]) {
        if (kept) {
          weights++;
          flops += flopsPerWeight[k];
        }
      }
    }
    return new Kept(weights, flops);
  }
}
