package io.turbovbi.mrf;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact weight marginals of the graph-mode support prior times unary evidence on small networks, by enumerating
 * every state. Written from the model's definition (DESIGN 1, support graphs: chains with a Bern(lambda) first
 * node on every grid row and column plus the field h0 = ln(p10 / p01), Bern(lambda) for weights off the grids,
 * Bern(gateAlive) gate variables, gate factors psi(g, s) = 1 except psi(0, 1) = leak), not from the graph builder
 * or the message formulas under test.
 */
final class GraphBruteForce {

  private final List<LayerGeometry> layers;
  private final List<MrfParams> params;
  private final int[] weightOffset;
  private final int weights;
  /** Gate variables per layer: kernels [o * in + c], filters [o], units [o]; -1 base where absent. */
  private final int[] kernelBase;
  private final int[] filterBase;
  private final int[] unitBase;
  private final int variables;

  GraphBruteForce(List<LayerGeometry> layers, List<MrfParams> params) {
    this.layers = layers;
    this.params = params;
    int n = layers.size();
    weightOffset = new int[n];
    kernelBase = new int[n];
    filterBase = new int[n];
    unitBase = new int[n];
    int next = 0;
    for (int k = 0; k < n; k++) {
      weightOffset[k] = next;
      next += layers.get(k).count();
    }
    weights = next;
    for (int k = 0; k < n; k++) {
      LayerGeometry layer = layers.get(k);
      kernelBase[k] = -1;
      filterBase[k] = -1;
      unitBase[k] = -1;
      if (layer.convolutional()) {
        kernelBase[k] = next;
        next += layer.outputs() * layer.inputs();
        filterBase[k] = next;
        next += layer.outputs();
      } else if (k < n - 1) {
        unitBase[k] = next;
        next += layer.outputs();
      }
    }
    variables = next;
    if (variables > 22) {
      throw new IllegalArgumentException("too many variables to enumerate: " + variables);
    }
  }

  /** P(s = 1) of every weight, all layers in order, for unary log-odds per weight (same order). */
  double[] weightMarginals(double[] unary) {
    double[] logWeight = new double[1 << variables];
    double max = Double.NEGATIVE_INFINITY;
    for (int state = 0; state < 1 << variables; state++) {
      double lw = 0;
      for (int w = 0; w < weights; w++) {
        lw += bit(state, w) * unary[w];
      }
      for (int k = 0; k < layers.size(); k++) {
        lw += logPrior(state, k);
      }
      logWeight[state] = lw;
      max = Math.max(max, lw);
    }
    return BruteForce.marginals(logWeight, max, weights);
  }

  private double logPrior(int state, int k) {
    LayerGeometry layer = layers.get(k);
    MrfParams p = params.get(k);
    double lw = 0;
    int base = weightOffset[k];
    // the previous layer's output variables: conv filters, or dense units
    int previous = k == 0 ? -1 : layers.get(k - 1).convolutional() ? filterBase[k - 1] : unitBase[k - 1];
    int previousCount = k == 0 ? 0 : layers.get(k - 1).outputs();
    if (layer.convolutional()) {
      int kk = layer.kernel() * layer.kernel();
      for (int o = 0; o < layer.outputs(); o++) {
        lw += logBernoulli(bit(state, filterBase[k] + o), p.gateAlive());
        for (int c = 0; c < layer.inputs(); c++) {
          int kernel = kernelBase[k] + o * layer.inputs() + c;
          int first = base + (o * layer.inputs() + c) * kk;
          lw += logBernoulli(bit(state, kernel), p.gateAlive());
          lw += logGrid(state, first, layer.kernel(), layer.kernel(), p);
          for (int i = 0; i < kk; i++) {
            lw += logGate(bit(state, kernel), bit(state, first + i), p.gateLeak());
          }
          lw += logGate(bit(state, filterBase[k] + o), bit(state, kernel), p.gateLeak());
          if (previous >= 0 && previousCount == layer.inputs()) {
            lw += logGate(bit(state, previous + c), bit(state, kernel), p.gateLeak());
          }
        }
      }
      return lw;
    }
    int in = layer.inputs();
    int plane = layer.height() * layer.width();
    double lambda = p.rowLambda();
    for (int o = 0; o < layer.outputs(); o++) {
      if (unitBase[k] >= 0) {
        lw += logBernoulli(bit(state, unitBase[k] + o), p.gateAlive());
      }
      for (int c = 0; c < layer.channels(); c++) {
        if (layer.imageInput()) {
          lw += logGrid(state, base + o * in + c * plane, layer.height(), layer.width(), p);
        }
      }
      for (int j = 0; j < in; j++) {
        int s = bit(state, base + o * in + j);
        if (!layer.imageInput()) {
          lw += logBernoulli(s, lambda);
        }
        if (unitBase[k] >= 0) {
          lw += logGate(bit(state, unitBase[k] + o), s, p.gateLeak());
        }
        if (previous >= 0) {
          lw += logGate(bit(state, previous + j / (in / previousCount)), s, p.gateLeak());
        }
      }
    }
    return lw;
  }

  /** Row chains, column chains (each with a Bern(lambda) first node) and h0 on a rows x cols block. */
  private static double logGrid(int state, int first, int rows, int cols, MrfParams p) {
    double lw = 0;
    double h0 = Math.log(p.rowP10() / p.rowP01());
    for (int r = 0; r < rows; r++) {
      lw += logChain(state, first + r * cols, 1, cols, p.rowP01(), p.rowP10());
      for (int c = 0; c < cols; c++) {
        lw += h0 * bit(state, first + r * cols + c);
      }
    }
    for (int c = 0; c < cols; c++) {
      lw += logChain(state, first + c, cols, rows, p.colP01(), p.colP10());
    }
    return lw;
  }

  private static double logChain(int state, int first, int stride, int length, double p01, double p10) {
    int previous = bit(state, first);
    double lw = logBernoulli(previous, p01 / (p01 + p10));
    for (int i = 1; i < length; i++) {
      int next = bit(state, first + i * stride);
      double p = previous == 0 ? (next == 1 ? p01 : 1 - p01) : (next == 0 ? p10 : 1 - p10);
      lw += Math.log(p);
      previous = next;
    }
    return lw;
  }

  private static double logGate(int gate, int gated, double leak) {
    return gate == 0 && gated == 1 ? Math.log(leak) : 0.0;
  }

  private static double logBernoulli(int s, double p) {
    return Math.log(s == 1 ? p : 1 - p);
  }

  private static int bit(int state, int v) {
    return (state >> v) & 1;
  }

  /** Every weight's unary log-odds as one array per layer. */
  static double[][] split(double[] all, List<LayerGeometry> layers) {
    List<double[]> out = new ArrayList<>();
    int offset = 0;
    for (LayerGeometry layer : layers) {
      double[] part = new double[layer.count()];
      System.arraycopy(all, offset, part, 0, part.length);
      out.add(part);
      offset += part.length;
    }
    return out.toArray(double[][]::new);
  }
}
