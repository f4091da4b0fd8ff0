package io.turbovbi.nn;

import java.util.logging.Logger;

/**
 * Elementwise float kernels that {@link Math} and the JIT serve only one value at a time: exp of the log-variances
 * and the standard normal noise of the local reparameterisation trick in training, and the multiply-add of a scaled
 * row into another (axpy) of the sparse inference kernels, which the JIT does not vectorise because it cannot rule
 * out that the two rows overlap. With the incubator module {@code jdk.incubator.vector} on the module path
 * ({@code --add-modules jdk.incubator.vector}) they run on the Java Vector API, otherwise as scalar loops. Both
 * forms perform the same float operations in the same order, so their results are bit for bit the same (tested): a
 * run does not depend on whether a JVM has the module.
 */
public final class Kernels {
  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final Impl IMPL = choose();

  /** The operations, in a scalar and a vector form. */
  interface Impl {
    void exp(float[] source, int sourceOffset, float[] target, int targetOffset, int length);

    void gaussian(long key, int first, float[] target, int offset, int count);

    void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int length);
  }

  private Kernels() {}

  private static Impl choose() {
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      return new ScalarKernels();
    }
    try {
      return (Impl) Class.forName("io.turbovbi.nn.VectorKernels").getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      Logger.getLogger(Kernels.class.getName()).warning("vector kernels unavailable, using scalar loops: " + e);
      return new ScalarKernels();
    }
  }

  /** {@code vector} when the Vector API is in use, {@code scalar} otherwise. */
  public static String implementation() {
    return IMPL instanceof ScalarKernels ? "scalar" : "vector";
  }

  /**
   * target[targetOffset + i] = e^source[sourceOffset + i] for i in [0, length), relative error below 2e-7;
   * arguments are clamped to [-87.3, 88.7], so results are normal floats (never 0, infinite or subnormal).
   */
  public static void exp(float[] source, int sourceOffset, float[] target, int targetOffset, int length) {
    IMPL.exp(source, sourceOffset, target, targetOffset, length);
  }

  /**
   * Writes standard normal draws number {@code first .. first+count-1} of the stream {@code key} to
   * target[offset ..]: draw i is a function of (key, i) only, so a stream can be filled in pieces, in any order,
   * on any thread. Box-Muller on a counter-based hash: see {@link ScalarKernels#gaussian(long, int)}.
   */
  public static void gaussian(long key, int first, float[] target, int offset, int count) {
    IMPL.gaussian(key, first, target, offset, count);
  }

  /** y[yOffset + i] += a * x[xOffset + i] for i in [0, length): a product rounded, then a sum rounded. */
  public static void axpy(float a, float[] x, int xOffset, float[] y, int yOffset, int length) {
    IMPL.axpy(a, x, xOffset, y, yOffset, length);
  }
}
