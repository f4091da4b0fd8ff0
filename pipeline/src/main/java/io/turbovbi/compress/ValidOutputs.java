package io.turbovbi.compress;

import io.turbovbi.nn.ConvGeometry;

/**
 * For each kernel row (column) k of a convolution, the output rows (columns) [first, end) whose input under k is
 * not padding (empty, end = first, where the kernel offset only ever sees padding): computed once, so that inference
 * loops do not divide per weight and sample.
 */
final class ValidOutputs {
  private final int[] first;
  private final int[] rowsEnd;
  private final int[] columnsEnd;

  ValidOutputs(ConvGeometry g) {
    int k = g.kernel();
    first = new int[k];
    rowsEnd = new int[k];
    columnsEnd = new int[k];
    for (int i = 0; i < k; i++) {
      first[i] = g.firstValidOutput(i);
      rowsEnd[i] = Math.max(first[i], g.validOutputRowsEnd(i));
      columnsEnd[i] = Math.max(first[i], g.validOutputColumnsEnd(i));
    }
  }

  /** The first output row (or column) whose input under kernel row (or column) k is not padding. */
  int first(int k) {
    return first[k];
  }

  int rowsEnd(int ky) {
    return rowsEnd[ky];
  }

  int columnsEnd(int kx) {
    return columnsEnd[kx];
  }
}
