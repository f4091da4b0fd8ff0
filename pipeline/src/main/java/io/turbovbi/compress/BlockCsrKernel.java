package io.turbovbi.compress;

import io.turbovbi.nn.Kernels;

/**
 * Block-compressed rows: W cut into blockRows x blockCols tiles, the tiles holding any non-zero kept whole (their
 * zeros included) with one column index per tile: fewer indices and regular inner loops, at the price of the
 * zeros a tile carries. Edge tiles are padded with zeros.
 */
final class BlockCsrKernel implements WeightKernel {
  private final int blockRows;
  private final int blockCols;
  private final int rows;
  private final int cols;
  /** Block row R's tiles are tiles start[R] .. start[R + 1]; tile t's first column is firstColumn[t]. */
  private final int[] start;
  private final int[] firstColumn;
  /** Tile t's values at [t * blockRows * blockCols, ...), row-major inside the tile. */
  private final float[] values;
  private final float[] bias;

  BlockCsrKernel(float[] weights, float[] bias, int rows, int cols, int blockRows, int blockCols) {
    this.blockRows = blockRows;
    this.blockCols = blockCols;
    this.rows = rows;
    this.cols = cols;
    this.bias = bias;
    int blockRowCount = (rows + blockRows - 1) / blockRows;
    int blockColCount = (cols + blockCols - 1) / blockCols;
    this.start = new int[blockRowCount + 1];
    int tiles = 0;
    for (int br = 0; br < blockRowCount; br++) {
      for (int bc = 0; bc < blockColCount; bc++) {
        tiles += occupied(weights, br, bc) ? 1 : 0;
      }
      start[br + 1] = tiles;
    }
    this.firstColumn = new int[tiles];
    this.values = new float[tiles * blockRows * blockCols];
    int t = 0;
    for (int br = 0; br < blockRowCount; br++) {
      for (int bc = 0; bc < blockColCount; bc++) {
        if (!occupied(weights, br, bc)) {
          continue;
        }
        firstColumn[t] = bc * blockCols;
        for (int i = 0; i < blockRows; i++) {
          for (int j = 0; j < blockCols; j++) {
            int r = br * blockRows + i;
            int c = bc * blockCols + j;
            values[(t * blockRows + i) * blockCols + j] = r < rows && c < cols ? weights[r * cols + c] : 0f;
          }
        }
        t++;
      }
    }
  }

  private boolean occupied(float[] weights, int br, int bc) {
    for (int r = br * blockRows; r < Math.min(rows, (br + 1) * blockRows); r++) {
      for (int c = bc * blockCols; c < Math.min(cols, (bc + 1) * blockCols); c++) {
        if (weights[r * cols + c] != 0f) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String name() {
    return "bcsr" + blockRows + "x" + blockCols;
  }

  @Override
  public void multiply(float[] x, int width, float[] y) {
    WeightKernel.fillBias(bias, rows, width, y);
    for (int br = 0; br < start.length - 1; br++) {
      int rowEnd = Math.min(blockRows, rows - br * blockRows);
      for (int t = start[br]; t < start[br + 1]; t++) {
        int colEnd = Math.min(blockCols, cols - firstColumn[t]);
        for (int i = 0; i < rowEnd; i++) {
          int target = (br * blockRows + i) * width;
          int tile = (t * blockRows + i) * blockCols;
          for (int j = 0; j < colEnd; j++) {
            Kernels.axpy(values[tile + j], x, (firstColumn[t] + j) * width, y, target, width);
          }
        }
      }
    }
  }
}
