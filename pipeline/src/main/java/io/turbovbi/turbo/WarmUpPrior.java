package io.turbovbi.turbo;

import io.turbovbi.prior.GammaMixturePrior;

/** The precision E[rho] of every weight during the warm-up w-step, before Module A has seen any weights. */
public enum WarmUpPrior {
  /**
   * DESIGN 2: the prior mixture lambda a/b + (1 - lambda) abar/bbar. With abar/bbar much larger than a/b this is a
   * strong pull to zero; measured on LeNet-300-100 with the collapsed factorisation it left nothing active.
   */
  MIXTURE,
  /** The active prior a/b: the weights grow where the data needs them and Module A's first look sees that. */
  ACTIVE;

  public double precision(GammaMixturePrior prior, double lambda) {
    return this == MIXTURE ? prior.mixturePrecision(lambda) : prior.a() / prior.b();
  }

  public static WarmUpPrior of(String name) {
    return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
