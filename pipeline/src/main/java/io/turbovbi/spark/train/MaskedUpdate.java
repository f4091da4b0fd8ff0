package io.turbovbi.spark.train;

import io.turbovbi.compress.MaskConstraint;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.nn.RangeRunner;
import io.turbovbi.nn.Update;
import java.util.List;

/** Fine-tuning's update: plain cross-entropy, with the pruned weights held at zero. */
public record MaskedUpdate(boolean[][] masks) implements UpdateRecipe {
  @Override
  public Update build(Network network, Optimizer optimizer, RangeRunner runner) {
    return new Update(optimizer, null, List.of(new MaskConstraint(network, masks)), runner);
  }
}
