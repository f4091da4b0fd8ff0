package io.turbovbi.mrf;

import java.util.Arrays;
import java.util.List;

/**
 * The support graph of a whole network in graph mode (DESIGN 1, support graphs), as flat arrays: binary variables
 * (every weight's support, then gate variables), each with a prior log-odds field, and pairwise factors.
 * <ul>
 * <li>conv [Cout][Cin][k][k]: each k x k kernel a 2-D grid (row chain factor across, column chain factor down); a
 * kernel variable z_oc gating its k^2 weights; a filter variable f_o gating the kernels of filter o; the previous
 * conv layer's filter variables, when there is one, gating the kernels of their input channel;</li>
 * <li>dense fed by an image or a conv stack (C x H x W): each neuron's weights form C grids of H x W (4-neighbour,
 * no wrap-around); the previous conv layer's filter variable c gating every weight that reads channel c;</li>
 * <li>dense fed by hidden units: no links across its inputs; the previous layer's unit variable j gating every
 * weight that reads unit j;</li>
 * <li>every dense layer but the last: a unit variable per neuron gating the neuron's weights (so a dead unit also
 * gates the next layer's matching inputs, above).</li>
 * </ul>
 * Grid nodes carry the grid-mode field (h0 plus Bern(lambda) at the start of each row and column chain); other
 * weights logit(lambda); gate variables logit(gateAlive). A gate factor is psi(g, s) = 1 except psi(0, 1) = leak.
 * Weights of layer k are variables [weightOffset(k), weightOffset(k) + count) in the layer's weight order.
 */
final class SupportGraph {

  /** Factor tables, four values each: psi(0,0), psi(0,1), psi(1,0), psi(1,1); a is the first endpoint. */
  final double[] factors;
  final int[] edgeA;
  final int[] edgeB;
  final int[] edgeFactor;
  final double[] field;
  final int variables;
  private final int[] weightOffsets;
  private final int[] weightCounts;

  private SupportGraph(double[] factors, int[] edgeA, int[] edgeB, int[] edgeFactor, double[] field,
                       int[] weightOffsets, int[] weightCounts) {
    this.factors = factors;
    this.edgeA = edgeA;
    this.edgeB = edgeB;
    this.edgeFactor = edgeFactor;
    this.field = field;
    this.variables = field.length;
    this.weightOffsets = weightOffsets;
    this.weightCounts = weightCounts;
  }

  int edges() {
    return edgeA.length;
  }

  int layers() {
    return weightOffsets.length;
  }

  int weightOffset(int layer) {
    return weightOffsets[layer];
  }

  int weightCount(int layer) {
    return weightCounts[layer];
  }

  /** Builds the graph of a network whose weight layers, in order, have these geometries and parameters. */
  static SupportGraph of(List<LayerGeometry> layers, List<MrfParams> params) {
    if (layers.size() != params.size() || layers.isEmpty()) {
      throw new IllegalArgumentException(layers.size() + " layer geometries but " + params.size()
          + " layer MRF parameters");
    }
    Builder b = new Builder();
    int[] offsets = new int[layers.size()];
    int[] counts = new int[layers.size()];
    for (int k = 0; k < layers.size(); k++) {
      offsets[k] = b.addVariables(layers.get(k).count(), 0.0);
      counts[k] = layers.get(k).count();
    }
    int[] previousUnits = null;
    for (int k = 0; k < layers.size(); k++) {
      LayerGeometry layer = layers.get(k);
      MrfParams p = params.get(k);
      int rowFactor = b.addFactor(1 - p.rowP01(), p.rowP01(), p.rowP10(), 1 - p.rowP10());
      int colFactor = b.addFactor(1 - p.colP01(), p.colP01(), p.colP10(), 1 - p.colP10());
      int gate = b.addFactor(1, p.gateLeak(), 1, 1);
      double gateField = LogOdds.clip(Math.log(p.gateAlive()) - Math.log1p(-p.gateAlive()));
      int base = offsets[k];
      boolean last = k == layers.size() - 1;
      if (layer.convolutional()) {
        int kk = layer.kernel() * layer.kernel();
        int kernels = layer.outputs() * layer.inputs();
        int kernelVars = b.addVariables(kernels, gateField);
        int filterVars = b.addVariables(layer.outputs(), gateField);
        boolean channelGates = previousUnits != null && previousUnits.length == layer.inputs();
        for (int o = 0; o < layer.outputs(); o++) {
          for (int c = 0; c < layer.inputs(); c++) {
            int kernel = o * layer.inputs() + c;
            int first = base + kernel * kk;
            b.grid(first, layer.kernel(), layer.kernel(), rowFactor, colFactor, p);
            for (int i = 0; i < kk; i++) {
              b.addEdge(kernelVars + kernel, first + i, gate);
            }
            b.addEdge(filterVars + o, kernelVars + kernel, gate);
            if (channelGates) {
              b.addEdge(previousUnits[c], kernelVars + kernel, gate);
            }
          }
        }
        previousUnits = range(filterVars, layer.outputs());
      } else {
        int in = layer.inputs();
        int plane = layer.height() * layer.width();
        int gatedPlane = previousUnits != null && in % previousUnits.length == 0 ? in / previousUnits.length : 0;
        double lambdaField = LogOdds.clip(Math.log(p.rowP01()) - Math.log(p.rowP10()));
        int unitVars = last ? -1 : b.addVariables(layer.outputs(), gateField);
        for (int o = 0; o < layer.outputs(); o++) {
          int row = base + o * in;
          if (layer.imageInput()) {
            for (int c = 0; c < layer.channels(); c++) {
              b.grid(row + c * plane, layer.height(), layer.width(), rowFactor, colFactor, p);
            }
          } else {
            for (int j = 0; j < in; j++) {
              b.field[row + j] = lambdaField;
            }
          }
          for (int j = 0; j < in; j++) {
            if (gatedPlane > 0) {
              b.addEdge(previousUnits[j / gatedPlane], row + j, gate);
            }
            if (unitVars >= 0) {
              b.addEdge(unitVars + o, row + j, gate);
            }
          }
        }
        previousUnits = unitVars >= 0 ? range(unitVars, layer.outputs()) : null;
      }
    }
    return b.build(offsets, counts);
  }

  private static int[] range(int first, int count) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = first + i;
    }
    return out;
  }

  /** Growable arrays of variables, factors and edges. */
  private static final class Builder {
    double[] field = new double[16];
    int variables;
    double[] factors = new double[16];
    int factorCount;
    int[] a = new int[16];
    int[] b = new int[16];
    int[] f = new int[16];
    int edges;

    int addVariables(int count, double value) {
      int first = variables;
      if (variables + count > field.length) {
        field = Arrays.copyOf(field, Math.max(2 * field.length, variables + count));
      }
      Arrays.fill(field, first, first + count, value);
      variables += count;
      return first;
    }

    int addFactor(double psi00, double psi01, double psi10, double psi11) {
      if (4 * factorCount + 4 > factors.length) {
        factors = Arrays.copyOf(factors, 2 * factors.length);
      }
      factors[4 * factorCount] = psi00;
      factors[4 * factorCount + 1] = psi01;
      factors[4 * factorCount + 2] = psi10;
      factors[4 * factorCount + 3] = psi11;
      return factorCount++;
    }

    void addEdge(int from, int to, int factor) {
      if (edges == a.length) {
        a = Arrays.copyOf(a, 2 * edges);
        b = Arrays.copyOf(b, 2 * edges);
        f = Arrays.copyOf(f, 2 * edges);
      }
      a[edges] = from;
      b[edges] = to;
      f[edges] = factor;
      edges++;
    }

    /**
     * A rows x cols 4-neighbour grid over the variables first + r * cols + c: row chains left to right, column
     * chains top to bottom, and the grid-mode field (DESIGN 1): h0 on every node plus the first-node log-odds of
     * each row chain (column 0) and of each column chain (row 0).
     */
    void grid(int first, int rows, int cols, int rowFactor, int colFactor, MrfParams p) {
      double h0 = p.closedFormField();
      double rowStart = LogOdds.clip(Math.log(p.rowP01()) - Math.log(p.rowP10()));
      double colStart = LogOdds.clip(Math.log(p.colP01()) - Math.log(p.colP10()));
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int v = first + r * cols + c;
          field[v] = h0 + (c == 0 ? rowStart : 0.0) + (r == 0 ? colStart : 0.0);
          if (c + 1 < cols) {
            addEdge(v, v + 1, rowFactor);
          }
          if (r + 1 < rows) {
            addEdge(v, v + cols, colFactor);
          }
        }
      }
    }

    SupportGraph build(int[] offsets, int[] counts) {
      return new SupportGraph(Arrays.copyOf(factors, 4 * factorCount), Arrays.copyOf(a, edges),
          Arrays.copyOf(b, edges), Arrays.copyOf(f, edges), Arrays.copyOf(field, variables), offsets, counts);
    }
  }
}
