package io.turbovbi.mrf;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calibrates the node field h0 of grid mode (DESIGN 1): bisection on h0 so that loopy BP with zero evidence, started
 * cold, gives the row chains' lambda as the marginal of the grid's centre node.
 *
 * <p>Cost is bounded: the calibration runs on a proxy grid of min(rows, {@value #PROXY_EDGE}) x min(cols,
 * {@value #PROXY_EDGE}) nodes, and results are cached by proxy shape, chain parameters, damping and schedule, so
 * all large layers with the same parameters share one calibration. For weakly coupled chains the interior marginal
 * does not depend on the grid size and the calibrated field is h0 = ln(p10 / p01) (the chains' stationary messages
 * are then a BP fixed point with marginal lambda). Under strong coupling (e.g. p01 = .03, p10 = .22) the
 * zero-evidence BP is bistable: the marginal jumps from about 1e-4 to about 1 - 1e-4 at an h0 that depends on the
 * grid size and the schedule (flooding: 0.66 on 8x8, 0.525 on 20x20, 0.49 on 32x32, 0.47 on 48x48), and the
 * calibration returns the jump (see {@link FieldCalibration}).
 */
public final class FieldCalibrator {

  /** Largest side of the grid the calibration runs on. */
  public static final int PROXY_EDGE = 32;
  /** Bisection stops when the bracket on h0 is narrower than this. */
  static final double FIELD_TOLERANCE = 1e-6;
  /** Sweep limit and tolerance (log-odds) of each zero-evidence BP run. */
  static final int CALIBRATION_SWEEPS = 5000;
  static final double CALIBRATION_TOLERANCE = 1e-10;

  private record Key(int rows, int cols, double rowP01, double rowP10, double colP01, double colP10,
                     double damping, BpSchedule schedule) {
  }

  private static final Map<Key, FieldCalibration> CACHE = new ConcurrentHashMap<>();

  private FieldCalibrator() {
  }

  /** The calibrated field for a rows x cols grid with the chain parameters, damping and schedule of params. */
  public static FieldCalibration calibrate(int rows, int cols, MrfParams params) {
    Key key = new Key(Math.min(rows, PROXY_EDGE), Math.min(cols, PROXY_EDGE), params.rowP01(), params.rowP10(),
        params.colP01(), params.colP10(), params.damping(), params.schedule());
    return CACHE.computeIfAbsent(key, k -> bisect(k, params));
  }

  private static FieldCalibration bisect(Key key, MrfParams params) {
    double target = params.rowLambda();
    double lo = -LogOdds.CLIP;
    double hi = LogOdds.CLIP;
    double atLo = interiorMarginal(key.rows(), key.cols(), params, lo);
    if (atLo >= target) {
      return new FieldCalibration(lo, target, atLo, key.rows(), key.cols());
    }
    double atHi = interiorMarginal(key.rows(), key.cols(), params, hi);
    if (atHi <= target) {
      return new FieldCalibration(hi, target, atHi, key.rows(), key.cols());
    }
    while (hi - lo > FIELD_TOLERANCE) {
      double mid = 0.5 * (lo + hi);
      double atMid = interiorMarginal(key.rows(), key.cols(), params, mid);
      if (atMid < target) {
        lo = mid;
        atLo = atMid;
      } else {
        hi = mid;
        atHi = atMid;
      }
    }
    return target - atLo <= atHi - target
        ? new FieldCalibration(lo, target, atLo, key.rows(), key.cols())
        : new FieldCalibration(hi, target, atHi, key.rows(), key.cols());
  }

  /** Centre-node marginal of cold-started zero-evidence loopy BP with node field h0. */
  static double interiorMarginal(int rows, int cols, MrfParams params, double h0) {
    ChainFactor rowFactor = params.rowFactor();
    ChainFactor colFactor = params.colFactor();
    double[] field = GridBeliefPropagation.priorField(rows, cols, rowFactor, colFactor, h0);
    double[] localOdds = new double[field.length];
    for (int i = 0; i < field.length; i++) {
      localOdds[i] = Math.exp(field[i]);
    }
    GridBeliefPropagation bp = new GridBeliefPropagation(rows, cols, rowFactor, colFactor, params.damping(),
        params.schedule());
    bp.run(localOdds, CALIBRATION_SWEEPS, CALIBRATION_TOLERANCE);
    int centre = (rows / 2) * cols + cols / 2;
    return LogOdds.sigmoid(field[centre] + bp.incomingLogOdds(centre));
  }
}
