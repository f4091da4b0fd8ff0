package io.turbovbi.spark.train;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.nn.RangeRunner;
import io.turbovbi.nn.Update;
import java.util.List;

/** Plain training: the cross-entropy alone, no regulariser and no constraint. */
public record PlainUpdate() implements UpdateRecipe {
  @Override
  public Update build(Network network, Optimizer optimizer, RangeRunner runner) {
    return new Update(optimizer, null, List.of(), runner);
  }
}
