package io.turbovbi.compress;

import io.turbovbi.nn.Conv2DLayer;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.WeightShape;
import java.util.ArrayList;
import java.util.List;

/**
 * How small and how regular a masked network is (DESIGN 5): non-zeros and compression, units kept, FLOPs, the
 * number of maximal runs of non-zeros per neuron row, and the share of 4x4 and 8x8 tiles holding any non-zero, on the
 * matrix the hardware multiplies: {@code [out x in]} for a dense layer, {@code [Cout x Cin*k*k]} for a convolution.
 */
public final class StructureMetrics {
  private StructureMetrics() {}

  /**
   * One weight layer.
   *
   * @param runsPerRow mean number of maximal runs of non-zeros over the rows that hold any
   * @param tileOccupancy4 share of 4x4 tiles with a non-zero
   * @param tileOccupancy8 share of 8x8 tiles with a non-zero
   * @param positions output positions per sample (1 for dense), which multiply the layer's FLOPs
   */
  public record LayerMetrics(int rows, int cols, long weights, long nonZeros, int rowsWithNonZeros,
                             double runsPerRow, double tileOccupancy4, double tileOccupancy8,
                             int positions) {
    public double compression() {
      return nonZeros == 0 ? Double.POSITIVE_INFINITY : (double) weights / nonZeros;
    }

    /** FLOPs per sample of the dense layer (2 per multiply-add). */
    public long denseFlops() {
      return 2L * weights * positions;
    }

    /** FLOPs per sample when only the non-zero weights are multiplied. */
    public long sparseFlops() {
      return 2L * nonZeros * positions;
    }
  }

  /** The metrics of every weight layer of a deterministic network. */
  public static List<LayerMetrics> of(Network network, float[] params) {
    List<LayerMetrics> metrics = new ArrayList<>();
    int[] layers = network.weightLayers();
    for (int k = 0; k < layers.length; k++) {
      Layer layer = network.layers().get(layers[k]);
      WeightShape shape = layer.weightShape();
      ParamBlock weights = network.block(layers[k], ParamKind.WEIGHT);
      int rows = shape.outputs();
      int cols = weights.length() / rows;
      metrics.add(measure(params, weights.offset(), rows, cols, positions(layer)));
    }
    return metrics;
  }

  /** Output positions per sample of a weight layer: each of its weights is multiplied this often. */
  public static int positions(Layer layer) {
    return layer instanceof Conv2DLayer conv ? conv.geometry().outPlane() : 1;
  }

  static LayerMetrics measure(float[] values, int offset, int rows, int cols, int positions) {
    long nonZeros = 0;
    int rowsWithNonZeros = 0;
    long runs = 0;
    for (int r = 0; r < rows; r++) {
      boolean previous = false;
      int rowRuns = 0;
      for (int c = 0; c < cols; c++) {
        boolean nonZero = values[offset + r * cols + c] != 0f;
        if (nonZero) {
          nonZeros++;
          if (!previous) {
            rowRuns++;
          }
        }
        previous = nonZero;
      }
      if (rowRuns > 0) {
        rowsWithNonZeros++;
        runs += rowRuns;
      }
    }
    return new LayerMetrics(rows, cols, (long) rows * cols, nonZeros, rowsWithNonZeros,
        rowsWithNonZeros == 0 ? 0 : (double) runs / rowsWithNonZeros, occupancy(values, offset, rows, cols, 4),
        occupancy(values, offset, rows, cols, 8), positions);
  }

  /** Share of the tile x tile blocks (edge blocks included) that hold a non-zero. */
  static double occupancy(float[] values, int offset, int rows, int cols, int tile) {
    int tileRows = (rows + tile - 1) / tile;
    int tileCols = (cols + tile - 1) / tile;
    boolean[] occupied = new boolean[tileRows * tileCols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (values[offset + r * cols + c] != 0f) {
          occupied[(r / tile) * tileCols + c / tile] = true;
        }
      }
    }
    int count = 0;
    for (boolean o : occupied) {
      count += o ? 1 : 0;
    }
    return (double) count / occupied.length;
  }
}
