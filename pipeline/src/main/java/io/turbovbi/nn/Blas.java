package io.turbovbi.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Row-major matrix products through the BLAS facade that Spark MLlib depends on (dev.ludovic.netlib). The facade
 * picks a native BLAS (e.g. Debian's OpenBLAS) when one is installed and falls back to its Java implementation.
 */
public final class Blas {
  /**
   * The facade logs a warning for every implementation it fails to load; the one in use is reported by
   * {@link #implementation()} instead. Held here so that the logger, and its level, are not garbage collected.
   */
  private static final Logger FACADE_LOG = quiet(Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder"));
  private static final BLAS INSTANCE = BLAS.getInstance();

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  private Blas() {}

  /** The implementation in use, e.g. {@code JNIBLAS} (native) or {@code Java11BLAS}. */
  public static String implementation() {
    return INSTANCE.getClass().getSimpleName();
  }

  /**
   * C = alpha * op(A) * op(B) + beta * C for row-major matrices: op(A) is m x k, op(B) is k x n, C is m x n.
   * A is stored m x k (or k x m when transposed), B is stored k x n (or n x k when transposed).
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, int aOffset, float[] b, int bOffset, float beta, float[] c, int cOffset) {
    if (m == 0 || n == 0) {
      return;
    }
    // A row-major matrix is its transpose in column-major order, so C^T = op(B)^T op(A)^T is computed instead.
    INSTANCE.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
        b, bOffset, transB ? k : n, a, aOffset, transA ? m : k, beta, c, cOffset, n);
  }
}
