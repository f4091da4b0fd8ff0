package io.turbovbi.mrf;

import java.util.Locale;

/** Which support prior Module B uses for a layer (DESIGN 1, choice grid | rows | iid). */
public enum MrfMode {
  /** Row and column chains plus the calibrated node field h0; loopy belief propagation. */
  GRID,
  /** Row chains only (one HMM per grid row), exact forward-backward; h0 = 0. */
  ROWS,
  /** Module B off: pi = lambda for every weight. */
  IID;

  /** The mode named in a configuration ("grid", "rows" or "iid", any case). */
  public static MrfMode of(String name) {
    for (MrfMode mode : values()) {
      if (mode.name().equalsIgnoreCase(name.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("MRF mode must be one of grid, rows, iid, got " + name);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
