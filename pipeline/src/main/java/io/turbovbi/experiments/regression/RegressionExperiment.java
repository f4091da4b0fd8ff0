package io.turbovbi.experiments.regression;

import io.turbovbi.mrf.MrfMode;
import io.turbovbi.output.JsonLine;
import io.turbovbi.prior.Factorisation;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The structured sparse regression check (DESIGN 2; {@link StructuredSparseRegression}): for SNR 20 and 30 dB,
 * factorisation collapsed and meanfield, and support prior iid, rows and grid, recovers the same problems (drawn
 * from seeds seed, seed + 1, ..., seed + trials - 1, one problem per seed and SNR) with
 * {@link StructuredSparseRegression#settings} and prints the mean support errors, the mean NMSE of the posterior
 * mean (dB), the mean number of outer iterations, and the mean wall time per trial. Output is one aligned text line
 * per case, or with {@code json} one JSON object per line with the fields snr_db, factorisation, mode,
 * support_errors, nmse_db, trials, iterations, seconds (and seed, misses, false_alarms, converged).
 */
public final class RegressionExperiment {
  static final List<Double> SNRS_DB = List.of(20.0, 30.0);
  static final List<Factorisation> FACTORISATIONS = List.of(Factorisation.COLLAPSED, Factorisation.MEANFIELD);
  static final List<MrfMode> MODES = List.of(MrfMode.IID, MrfMode.ROWS, MrfMode.GRID);

  /** Means over the trials of one case. */
  record Row(double snrDb, Factorisation factorisation, MrfMode mode, int trials, double supportErrors,
             double misses, double falseAlarms, double nmseDb, double iterations, int converged, double seconds) {}

  /**
   * Runs every case and prints one line per case as it finishes.
   *
   * @param trials problems per SNR, at least 1
   * @param seed the seed of the first problem
   */
  public void run(PrintStream out, boolean json, int trials, long seed) {
    if (trials < 1) {
      throw new IllegalArgumentException("trials must be at least 1, got " + trials);
    }
    if (!json) {
      StructuredSparseRegression.Shape shape = StructuredSparseRegression.Shape.DEFAULT;
      out.printf(Locale.ROOT, "structured sparse regression: %dx%d grid, M = %d, %.0f%% active in blocks; trials %d, "
          + "first seed %d; T_max %d, tolerance %.0e%n", shape.rows(), shape.cols(), shape.measurements(),
          100 * shape.activeShare(), trials, seed, StructuredSparseRegression.MAX_ITERATIONS,
          StructuredSparseRegression.TOLERANCE);
      out.printf(Locale.ROOT, "%6s  %-10s %-5s %15s %8s %8s %10s %10s%n", "SNR", "factoris.", "mode",
          "support errors", "misses", "NMSE dB", "iterations", "s/trial");
    }
    for (double snr : SNRS_DB) {
      StructuredSparseRegression.Problem[] problems = new StructuredSparseRegression.Problem[trials];
      for (int t = 0; t < trials; t++) {
        problems[t] = StructuredSparseRegression.generate(StructuredSparseRegression.Shape.DEFAULT, snr, seed + t);
      }
      for (Factorisation factorisation : FACTORISATIONS) {
        for (MrfMode mode : MODES) {
          print(out, json, seed, measure(problems, snr, factorisation, mode));
        }
      }
    }
  }

  static Row measure(StructuredSparseRegression.Problem[] problems, double snrDb, Factorisation factorisation,
                     MrfMode mode) {
    double errors = 0;
    double misses = 0;
    double falseAlarms = 0;
    double nmse = 0;
    double iterations = 0;
    double seconds = 0;
    int converged = 0;
    for (StructuredSparseRegression.Problem problem : problems) {
      StructuredSparseRegression.Outcome outcome = StructuredSparseRegression.recover(problem,
          StructuredSparseRegression.settings(factorisation, mode));
      errors += outcome.supportErrors();
      misses += outcome.misses();
      falseAlarms += outcome.falseAlarms();
      nmse += outcome.nmseDb();
      iterations += outcome.iterations();
      seconds += outcome.seconds();
      converged += outcome.converged() ? 1 : 0;
    }
    int n = problems.length;
    return new Row(snrDb, factorisation, mode, n, errors / n, misses / n, falseAlarms / n, nmse / n,
        iterations / n, converged, seconds / n);
  }

  private static void print(PrintStream out, boolean json, long seed, Row row) {
    if (json) {
      out.println(new JsonLine().put("snr_db", row.snrDb()).put("factorisation", row.factorisation().toString())
          .put("mode", row.mode().toString()).put("support_errors", row.supportErrors()).put("nmse_db", row.nmseDb())
          .put("trials", row.trials()).put("iterations", row.iterations()).put("seconds", row.seconds())
          .put("seed", seed).put("misses", row.misses()).put("false_alarms", row.falseAlarms())
          .put("converged", row.converged()));
    } else {
      out.printf(Locale.ROOT, "%3.0f dB  %-10s %-5s %15.1f %8.1f %8.1f %10.1f %10.3f%s%n", row.snrDb(),
          row.factorisation(), row.mode(), row.supportErrors(), row.misses(), row.nmseDb(), row.iterations(),
          row.seconds(), row.converged() < row.trials()
              ? "  (" + (row.trials() - row.converged()) + " stopped at T_max)" : "");
    }
    out.flush();
  }
}
