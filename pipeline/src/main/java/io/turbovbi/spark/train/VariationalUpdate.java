package io.turbovbi.spark.train;

import io.turbovbi.bayes.GaussianKl;
import io.turbovbi.bayes.LogVarCap;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.nn.RangeRunner;
import io.turbovbi.nn.Update;
import java.util.List;

/** The w-step's update: the KL divergence to N(0, 1/E[rho]) with the given precisions, and the log-variance cap. */
public record VariationalUpdate(double[][] precisions, double logVarCap) implements UpdateRecipe {
  @Override
  public Update build(Network network, Optimizer optimizer, RangeRunner runner) {
    return new Update(optimizer, kl(network), List.of(new LogVarCap(network, logVarCap)), runner);
  }

  /** The KL term of a variational network to the prior with these precisions. */
  public GaussianKl kl(Network network) {
    GaussianKl kl = new GaussianKl(network);
    for (int k = 0; k < precisions.length; k++) {
      kl.setPrecision(k, precisions[k]);
    }
    return kl;
  }
}
