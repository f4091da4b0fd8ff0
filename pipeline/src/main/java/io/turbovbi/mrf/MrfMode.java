package io.turbovbi.mrf;

import java.util.Locale;

/** Which support prior Module B uses for a layer (DESIGN 1, choice graph | grid | rows | iid). */
public enum MrfMode {
  /**
   * Support graphs that follow the network: 2-D grids over kernels and over a dense layer's image input, gate
   * variables for units, kernels, filters and input channels, linked across layers; exact on trees, damped loopy BP
   * elsewhere. Built for the whole network at once ({@link SupportPrior}).
   */
  GRAPH,
  /** Row and column chains plus the calibrated node field h0; loopy belief propagation. */
  GRID,
  /** Row chains only (one HMM per grid row), exact forward-backward; h0 = 0. */
  ROWS,
  /** Module B off: pi = lambda for every weight. */
  IID;

  /** The mode named in a configuration ("graph", "grid", "rows" or "iid", any case). */
  public static MrfMode of(String name) {
    for (MrfMode mode : values()) {
      if (mode.name().equalsIgnoreCase(name.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("MRF mode must be one of graph, grid, rows, iid, got " + name);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
