package io.turbovbi.turbo;

import java.util.Locale;

/**
 * How the outer loop decides how many weights survive (DESIGN 2, compression control). {@link Kind#FREE} leaves it
 * to Modules A and B (the loop then stops at T_max, the tolerance or the free-running target); the other kinds steer
 * the kept size or FLOPs along a schedule: {@code ramp} iterations from the whole network to the target, then
 * {@code hold} iterations at it.
 *
 * @param kind what is controlled
 * @param target the compression ratio (all weights / kept weights after unit removal) or the FLOPs per sample
 * @param schedule how the ramp goes from the whole network to the target
 * @param ramp outer iterations to reach the target
 * @param hold outer iterations at the target
 * @param guardPoints stop ramping when the masked network's validation accuracy falls more than this many
 *                    percentage points below the warm-up's (0: no guard)
 */
public record Control(Kind kind, double target, RampSchedule schedule, int ramp, int hold, double guardPoints) {
  /** What the controller steers. */
  public enum Kind {
    /** Nothing: the share of active weights follows from the prior alone (the ablation). */
    FREE,
    /** The number of weights kept after unit removal, given as a compression ratio. */
    COMPRESSION,
    /** The FLOPs per sample of the network after unit removal. */
    FLOPS;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Control {
    if (kind != Kind.FREE) {
      if (!(target > 0) || (kind == Kind.COMPRESSION && target < 1)) {
        throw new IllegalArgumentException("the " + kind.key() + " target must be "
            + (kind == Kind.COMPRESSION ? ">= 1" : "> 0") + ", got " + target);
      }
      if (ramp < 1 || hold < 0) {
        throw new IllegalArgumentException("need a ramp of at least 1 iteration and a hold >= 0, got " + ramp + ", "
            + hold);
      }
    }
    if (!(guardPoints >= 0 && guardPoints <= 100)) {
      throw new IllegalArgumentException("the accuracy guard is in percentage points, in [0, 100], got "
          + guardPoints);
    }
  }

  /** No control: the free-running loop. */
  public static Control free() {
    return new Control(Kind.FREE, 0, RampSchedule.CUBIC, 0, 0, 0);
  }

  public boolean controlled() {
    return kind != Kind.FREE;
  }

  /** Outer iterations of a controlled run: the ramp and the hold. */
  public int iterations() {
    return ramp + hold;
  }
}
