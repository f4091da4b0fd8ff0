package io.turbovbi.experiments.regression;

import io.turbovbi.nn.WeightShape;
import io.turbovbi.turbo.Posterior;
import io.turbovbi.turbo.WStep;
import java.util.Arrays;

/**
 * The exact w-step of a linear-Gaussian model y = A w + e, e ~ N(0, sigma^2 I), sigma^2 known (the structured sparse
 * regression check, {@link StructuredSparseRegression}). Given the precisions R = diag(E[rho]), q(w) is the Gaussian
 * posterior N(mu, Sigma) with
 * <pre>
 *   Sigma = (A^T A / sigma^2 + R)^-1,   mu = Sigma A^T y / sigma^2,
 * </pre>
 * the maximiser of DESIGN 2's ELBO_w over all Gaussians q(w), so one call replaces the stochastic w-step's epochs:
 * {@code epochs} is ignored and every {@link #run} (with any epochs, 0 included) solves exactly once. The posterior
 * handed to the loop is the marginal (mu_n, Sigma_nn) of every weight, which is all Module A reads (E[w_n^2]). (A
 * factorised q(w) = prod N(mu_n, sigma_n^2), as the network's w-step has, would give the same mu but the smaller
 * sigma_n^2 = 1 / P_nn; this step uses the exact marginals.)
 *
 * <p>Solve: with M measurements and N weights, the smaller of two equivalent systems is factorised by a Cholesky
 * decomposition on flat double arrays:
 * <ul>
 * <li>M &lt; N (the compressed-sensing case): the Woodbury identity, with D = R^-1 and C = sigma^2 I + A D A^T
 * (M x M): mu = D A^T C^-1 y and Sigma_nn = d_n - d_n^2 a_n^T C^-1 a_n, a_n the n-th column of A;</li>
 * <li>otherwise: P = A^T A / sigma^2 + R = L L^T (N x N), mu = P^-1 A^T y / sigma^2 and Sigma_nn = sum_k
 * ((L^-1)_kn)^2.</li>
 * </ul>
 * Cost per call O(M N min(M, N)): about 6 ms for M = 160, N = 400 on one core.
 *
 * <p>{@link Result#meanLoss()} is the expected negative log-likelihood per measurement, E_q[-ln N(y_m; a_m w,
 * sigma^2)] = ln(2 pi sigma^2) / 2 + (||y - A mu||^2 + tr(A Sigma A^T)) / (2 M sigma^2), where tr(A Sigma A^T) =
 * sigma^2 (N - sum_n rho_n Sigma_nn); {@link Result#kl()} is KL(N(mu, Sigma) || N(0, R^-1)) of the full-covariance
 * posterior. There is no held-out data: {@link #heldOutAccuracy} is NaN.
 */
public final class LinearGaussianWStep implements WStep {

  private final int measurements;
  private final int size;
  private final double[] matrix;
  private final double[] observations;
  private final double noiseVariance;
  private final WeightShape shape;
  /** A^T y / sigma^2 and A^T A / sigma^2, for the N x N form only (null otherwise). */
  private final double[] scaledCorrelation;
  private final double[] scaledGram;
  private final double[] mean;
  private final double[] variance;

  /**
   * @param matrix A, measurements x N row-major, N = shape.count(); not copied, must not change
   * @param observations y; not copied, must not change
   * @param noiseVariance sigma^2 &gt; 0
   * @param shape the weight layer's shape for the outer loop (dense rows x cols gives a rows x cols support grid)
   */
  public LinearGaussianWStep(double[] matrix, int measurements, double[] observations, double noiseVariance,
                             WeightShape shape) {
    int n = shape.count();
    if (measurements < 1 || matrix.length != (long) measurements * n || observations.length != measurements) {
      throw new IllegalArgumentException("need A of " + measurements + " x " + n + " = " + (long) measurements * n
          + " entries and " + measurements + " observations, got " + matrix.length + " and " + observations.length);
    }
    if (!(noiseVariance > 0 && noiseVariance < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("noise variance must be > 0 and finite, got " + noiseVariance);
    }
    this.measurements = measurements;
    this.size = n;
    this.matrix = matrix;
    this.observations = observations;
    this.noiseVariance = noiseVariance;
    this.shape = shape;
    this.mean = new double[n];
    this.variance = new double[n];
    if (usesWoodbury()) {
      this.scaledCorrelation = null;
      this.scaledGram = null;
    } else {
      this.scaledCorrelation = new double[n];
      this.scaledGram = new double[n * n];
      for (int m = 0; m < measurements; m++) {
        int row = m * n;
        double ym = observations[m] / noiseVariance;
        for (int i = 0; i < n; i++) {
          double ami = matrix[row + i];
          scaledCorrelation[i] += ami * ym;
          double scaled = ami / noiseVariance;
          for (int j = 0; j <= i; j++) {
            scaledGram[i * n + j] += scaled * matrix[row + j];
          }
        }
      }
    }
  }

  /** The exact w-step of a drawn regression problem, its weights on the problem's rows x cols grid. */
  public static LinearGaussianWStep of(StructuredSparseRegression.Problem problem) {
    return new LinearGaussianWStep(problem.matrix(), problem.shape().measurements(), problem.observations(),
        problem.noiseVariance(), problem.weightShape());
  }

  public WeightShape shape() {
    return shape;
  }

  @Override
  public int[] layerSizes() {
    return new int[] {size};
  }

  /** Solves for q(w) under the precisions E[rho] (one layer); {@code epochs} (&gt;= 0) is ignored. */
  @Override
  public Result run(double[][] precisions, int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    if (precisions.length != 1 || precisions[0].length != size) {
      throw new IllegalArgumentException("need the precisions of 1 layer of " + size + " weights");
    }
    double[] rho = precisions[0];
    for (int n = 0; n < size; n++) {
      if (!(rho[n] > 0 && rho[n] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("precision must be > 0 and finite, got " + rho[n] + " at weight " + n);
      }
    }
    long start = System.nanoTime();
    double logDetSigma = usesWoodbury() ? solveWoodbury(rho) : solveDirect(rho);
    double residual = 0;
    for (int m = 0; m < measurements; m++) {
      double fitted = 0;
      int row = m * size;
      for (int n = 0; n < size; n++) {
        fitted += matrix[row + n] * mean[n];
      }
      double r = observations[m] - fitted;
      residual += r * r;
    }
    double precisionTrace = 0; // tr(R Sigma)
    double quadratic = 0; // mu^T R mu
    double logDetR = 0;
    for (int n = 0; n < size; n++) {
      precisionTrace += rho[n] * variance[n];
      quadratic += rho[n] * mean[n] * mean[n];
      logDetR += Math.log(rho[n]);
    }
    double fitTrace = noiseVariance * (size - precisionTrace); // tr(A Sigma A^T) = sigma^2 tr((P - R) Sigma)
    double meanLoss = 0.5 * Math.log(2 * Math.PI * noiseVariance)
        + (residual + fitTrace) / (2 * measurements * noiseVariance);
    double kl = 0.5 * (precisionTrace + quadratic - size - logDetR - logDetSigma);
    return new Result(meanLoss, kl, (System.nanoTime() - start) / 1e9, 0, 0);
  }

  @Override
  public Posterior posterior() {
    float[] means = new float[size];
    float[] variances = new float[size];
    for (int n = 0; n < size; n++) {
      means[n] = (float) mean[n];
      variances[n] = (float) variance[n];
    }
    return new Posterior(new float[][] {means}, new float[][] {variances});
  }

  /** The posterior mean mu of the last solve, in double (a copy; zeros before the first). */
  public double[] means() {
    return mean.clone();
  }

  /** The posterior marginal variances Sigma_nn of the last solve, in double (a copy; zeros before the first). */
  public double[] variances() {
    return variance.clone();
  }

  /** No held-out data in a regression: NaN. */
  @Override
  public double heldOutAccuracy(boolean[][] masks) {
    return Double.NaN;
  }

  private boolean usesWoodbury() {
    return measurements < size;
  }

  /**
   * M x M form: C = sigma^2 I + A D A^T = L L^T, z = C^-1 y, mu = D A^T z, B = L^-1 A, Sigma_nn = d_n - d_n^2
   * ||B_:n||^2. Returns ln det Sigma = -ln det R - ln det C + M ln sigma^2 (matrix determinant lemma).
   */
  private double solveWoodbury(double[] rho) {
    int n = size;
    int mCount = measurements;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = 1 / rho[i];
    }
    // C = sigma^2 I + A D A^T, lower triangle, one dot product of scaled rows per entry
    double[] c = new double[mCount * mCount];
    double[] scaledRow = new double[n];
    for (int i = 0; i < mCount; i++) {
      int rowI = i * n;
      for (int k = 0; k < n; k++) {
        scaledRow[k] = matrix[rowI + k] * d[k];
      }
      for (int j = 0; j <= i; j++) {
        int rowJ = j * n;
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += scaledRow[k] * matrix[rowJ + k];
        }
        c[i * mCount + j] = s;
      }
      c[i * mCount + i] += noiseVariance;
    }
    double logDetC = Cholesky.factorInPlace(c, mCount);
    double[] z = observations.clone();
    Cholesky.solveInPlace(c, mCount, z);
    Arrays.fill(mean, 0);
    for (int m = 0; m < mCount; m++) {
      int row = m * n;
      double zm = z[m];
      for (int k = 0; k < n; k++) {
        mean[k] += matrix[row + k] * zm;
      }
    }
    // B = L^-1 A, row by row: B_i = (A_i - sum_{j<i} L_ij B_j) / L_ii
    double[] b = matrix.clone();
    for (int i = 0; i < mCount; i++) {
      int rowI = i * n;
      for (int j = 0; j < i; j++) {
        double lij = c[i * mCount + j];
        int rowJ = j * n;
        for (int k = 0; k < n; k++) {
          b[rowI + k] -= lij * b[rowJ + k];
        }
      }
      double inverseDiagonal = 1 / c[i * mCount + i];
      for (int k = 0; k < n; k++) {
        b[rowI + k] *= inverseDiagonal;
      }
    }
    double[] columnNorm = new double[n];
    for (int i = 0; i < mCount; i++) {
      int rowI = i * n;
      for (int k = 0; k < n; k++) {
        columnNorm[k] += b[rowI + k] * b[rowI + k];
      }
    }
    double logDetR = 0;
    for (int k = 0; k < n; k++) {
      mean[k] *= d[k];
      // Sigma_nn = d_n (1 - d_n a_n^T C^-1 a_n), which lies in (0, d_n]; the floor only guards rounding
      variance[k] = Math.max(d[k] * (1 - d[k] * columnNorm[k]), d[k] * Cholesky.RELATIVE_FLOOR);
      logDetR += Math.log(rho[k]);
    }
    return -logDetR - logDetC + mCount * Math.log(noiseVariance);
  }

  /** N x N form: P = A^T A / sigma^2 + R = L L^T. Returns ln det Sigma = -ln det P. */
  private double solveDirect(double[] rho) {
    int n = size;
    double[] p = scaledGram.clone();
    for (int i = 0; i < n; i++) {
      p[i * n + i] += rho[i];
    }
    double logDetP = Cholesky.factorInPlace(p, n);
    System.arraycopy(scaledCorrelation, 0, mean, 0, n);
    Cholesky.solveInPlace(p, n, mean);
    // Sigma_nn = sum_k (L^-1)_kn^2; column j of L^-1 solves L x = e_j and is zero above j
    Arrays.fill(variance, 0);
    double[] x = new double[n];
    for (int j = 0; j < n; j++) {
      x[j] = 1 / p[j * n + j];
      variance[j] += x[j] * x[j];
      for (int i = j + 1; i < n; i++) {
        double s = 0;
        int row = i * n;
        for (int k = j; k < i; k++) {
          s -= p[row + k] * x[k];
        }
        x[i] = s / p[row + i];
        variance[j] += x[i] * x[i];
      }
    }
    return -logDetP;
  }

  /** Cholesky factorisation and solves on a flat row-major symmetric matrix (lower triangle read and written). */
  static final class Cholesky {
    /** Smallest posterior variance kept, relative to the prior variance 1/rho_n. */
    static final double RELATIVE_FLOOR = 1e-12;

    private Cholesky() {}

    /**
     * Overwrites the lower triangle of the n x n matrix a with L, a = L L^T (the upper triangle is not read).
     * Returns ln det a = 2 sum ln L_ii.
     *
     * @throws IllegalStateException if a is not numerically positive definite
     */
    static double factorInPlace(double[] a, int n) {
      double logDet = 0;
      for (int j = 0; j < n; j++) {
        int rowJ = j * n;
        double diagonal = a[rowJ + j];
        for (int k = 0; k < j; k++) {
          diagonal -= a[rowJ + k] * a[rowJ + k];
        }
        if (!(diagonal > 0)) {
          throw new IllegalStateException("matrix is not positive definite at pivot " + j + " (" + diagonal + ")");
        }
        double ljj = Math.sqrt(diagonal);
        a[rowJ + j] = ljj;
        logDet += 2 * Math.log(ljj);
        for (int i = j + 1; i < n; i++) {
          int rowI = i * n;
          double s = a[rowI + j];
          for (int k = 0; k < j; k++) {
            s -= a[rowI + k] * a[rowJ + k];
          }
          a[rowI + j] = s / ljj;
        }
      }
      return logDet;
    }

    /** Solves (L L^T) x = b in place, L the factor written by {@link #factorInPlace}. */
    static void solveInPlace(double[] l, int n, double[] b) {
      for (int i = 0; i < n; i++) {
        int row = i * n;
        double s = b[i];
        for (int k = 0; k < i; k++) {
          s -= l[row + k] * b[k];
        }
        b[i] = s / l[row + i];
      }
      for (int i = n - 1; i >= 0; i--) {
        double s = b[i];
        for (int k = i + 1; k < n; k++) {
          s -= l[k * n + i] * b[k];
        }
        b[i] = s / l[i * n + i];
      }
    }
  }
}
