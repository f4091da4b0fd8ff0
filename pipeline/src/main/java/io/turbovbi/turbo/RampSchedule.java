package io.turbovbi.turbo;

import java.util.Locale;

/**
 * The share of the whole network's cost (weights or FLOPs) that the compression controller keeps at each outer
 * iteration of the ramp: 1 before the first, {@code finalShare} from iteration {@code ramp} on.
 */
public enum RampSchedule {
  /**
   * Gradual pruning (Zhu and Gupta, "To prune, or not to prune", 2017): the pruned share follows
   * s_t = s_f (1 - (1 - t/ramp)^3), fast at first while many weights are redundant, slow near the target.
   */
  CUBIC {
    @Override
    double keptShare(double progress, double finalShare) {
      double rest = 1 - progress;
      return finalShare + (1 - finalShare) * rest * rest * rest;
    }
  },
  /** The compression grows by the same factor every iteration: kept share = finalShare^(t/ramp). */
  GEOMETRIC {
    @Override
    double keptShare(double progress, double finalShare) {
      return Math.pow(finalShare, progress);
    }
  };

  abstract double keptShare(double progress, double finalShare);

  /** The share kept after outer iteration {@code iteration} (1-based) of a ramp of {@code ramp} iterations. */
  public double share(int iteration, int ramp, double finalShare) {
    if (!(finalShare > 0 && finalShare <= 1) || ramp < 1 || iteration < 0) {
      throw new IllegalArgumentException("need a final share in (0, 1], a ramp >= 1 and an iteration >= 0, got "
          + finalShare + ", " + ramp + ", " + iteration);
    }
    return keptShare(Math.min(1.0, (double) iteration / ramp), finalShare);
  }

  public static RampSchedule of(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
