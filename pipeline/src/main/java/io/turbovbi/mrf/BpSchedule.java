package io.turbovbi.mrf;

import java.util.Locale;

/** Order of the message updates in one loopy-BP sweep (DESIGN 2, choice of schedule). */
public enum BpSchedule {
  /**
   * Every message of a sweep is computed from the previous sweep's messages (synchronous); the result does not
   * depend on the visiting order and evidence travels one edge per sweep. The default.
   */
  FLOODING,
  /**
   * In place, chain by chain: each row left to right then right to left, then each column top to bottom then
   * bottom to top, every update using the newest messages; evidence travels a whole row or column per sweep.
   */
  SEQUENTIAL;

  /** The schedule used unless the configuration names another. */
  public static final BpSchedule DEFAULT = FLOODING;

  /** The schedule named in a configuration ("flooding" or "sequential", any case). */
  public static BpSchedule of(String name) {
    for (BpSchedule schedule : values()) {
      if (schedule.name().equalsIgnoreCase(name.trim())) {
        return schedule;
      }
    }
    throw new IllegalArgumentException("BP schedule must be one of flooding, sequential, got " + name);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
