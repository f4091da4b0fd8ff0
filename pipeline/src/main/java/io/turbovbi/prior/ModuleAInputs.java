package io.turbovbi.prior;

/** Argument checks shared by the Module A forms. */
final class ModuleAInputs {

  private ModuleAInputs() {
  }

  static void requireLength(String name, int length, int size) {
    if (length != size) {
      throw new IllegalArgumentException(name + " must hold " + size + " weights, got " + length);
    }
  }

  /** E[w^2] must be a finite number &gt;= 0 for every weight. */
  static void requireSecondMoments(double[] secondMoment, int size) {
    requireLength("secondMoment", secondMoment.length, size);
    for (int n = 0; n < size; n++) {
      double m = secondMoment[n];
      if (!(m >= 0 && m < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("E[w^2] must be finite and >= 0, got " + m + " at weight " + n);
      }
    }
  }

  /** Every entry of a probability array (pi, pit) must lie in [0, 1]. */
  static void requireProbabilities(String name, double[] p, int size) {
    requireLength(name, p.length, size);
    for (int n = 0; n < size; n++) {
      if (!(p[n] >= 0 && p[n] <= 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1], got " + p[n] + " at weight " + n);
      }
    }
  }
}
