package io.turbovbi.compress;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.Update;

/** Keeps pruned weights at zero during fine-tuning: weight n of weight layer k may be non-zero iff masks[k][n]. */
public final class MaskConstraint implements Update.Constraint {
  private final ParamBlock[] blocks;
  private final boolean[][] masks;

  public MaskConstraint(Network network, boolean[][] masks) {
    int[] layers = network.weightLayers();
    if (masks.length != layers.length) {
      throw new IllegalArgumentException(masks.length + " masks for " + layers.length + " weight layers");
    }
    this.blocks = new ParamBlock[layers.length];
    for (int k = 0; k < layers.length; k++) {
      blocks[k] = network.block(layers[k], ParamKind.WEIGHT);
      if (masks[k].length != blocks[k].length()) {
        throw new IllegalArgumentException("mask " + k + " has " + masks[k].length + " entries for "
            + blocks[k].length() + " weights");
      }
    }
    this.masks = masks;
  }

  @Override
  public void apply(float[] params, int from, int to) {
    for (int k = 0; k < blocks.length; k++) {
      int offset = blocks[k].offset();
      for (int i = Math.max(from, offset); i < Math.min(to, blocks[k].end()); i++) {
        if (!masks[k][i - offset]) {
          params[i] = 0f;
        }
      }
    }
  }
}
