package io.turbovbi.bayes;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.Update;

/**
 * Keeps every log-variance at or below a cap. With a nearly scale-free active prior nothing else stops sigma^2 from
 * growing towards 1/E[rho], and then every weight looks active to Module A (DESIGN 2: no pruning at all without it).
 */
public final class LogVarCap implements Update.Constraint {
  private final ParamBlock[] blocks;
  private final float cap;

  public LogVarCap(Network network, double cap) {
    if (!Double.isFinite(cap)) {
      throw new IllegalArgumentException("log-variance cap must be finite, got " + cap);
    }
    this.blocks = network.blocks().stream().filter(b -> b.kind() == ParamKind.LOGVAR).toArray(ParamBlock[]::new);
    this.cap = (float) cap;
  }

  @Override
  public void apply(float[] params, int from, int to) {
    for (ParamBlock block : blocks) {
      for (int i = Math.max(from, block.offset()); i < Math.min(to, block.end()); i++) {
        params[i] = Math.min(params[i], cap);
      }
    }
  }
}
