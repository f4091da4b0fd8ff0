package io.turbovbi.prior;

import java.util.Locale;

/** Module A's factorisation of q(w, rho, s) (DESIGN 2, choice collapsed | meanfield). */
public enum Factorisation {
  /** q(w) q(s) q(rho | s): rho integrated out per state; the default. */
  COLLAPSED,
  /** q(w) q(rho) q(s), as in the paper's mean-field derivation; kept as the ablation. */
  MEANFIELD;

  /** The factorisation used unless the configuration names another. */
  public static final Factorisation DEFAULT = COLLAPSED;

  /** The factorisation named in a configuration ("collapsed" or "meanfield", any case). */
  public static Factorisation of(String name) {
    for (Factorisation f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("factorisation must be one of collapsed, meanfield, got " + name);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
