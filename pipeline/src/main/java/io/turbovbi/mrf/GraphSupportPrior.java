package io.turbovbi.mrf;

import java.util.Arrays;
import java.util.List;

/**
 * Graph mode of Module B (DESIGN 1 and 2): one {@link SupportGraph} over the whole network, solved by
 * {@link GraphBeliefPropagation} (exact on trees, damped loopy BP elsewhere), messages kept between calls when warm
 * start is on. Damping, sweep limit, tolerance and warm start are those of the first layer's parameters.
 */
final class GraphSupportPrior implements SupportPrior {

  private final SupportGraph graph;
  private final MrfParams params;
  private final GraphBeliefPropagation bp;
  private final double[] local;
  private final double[] incoming;
  private final double[] zeroEvidence;

  GraphSupportPrior(List<LayerGeometry> layers, List<MrfParams> params) {
    this.graph = SupportGraph.of(layers, params);
    this.params = params.get(0);
    this.bp = new GraphBeliefPropagation(graph, this.params.damping());
    this.local = new double[graph.variables];
    this.incoming = new double[graph.variables];
    this.zeroEvidence = new double[layers.size()];
    bp.run(graph.field, this.params.maxSweeps(), this.params.tolerance());
    bp.incoming(incoming);
    for (int k = 0; k < layers.size(); k++) {
      double sum = 0;
      int first = graph.weightOffset(k);
      for (int v = first; v < first + graph.weightCount(k); v++) {
        sum += LogOdds.sigmoid(graph.field[v] + incoming[v]);
      }
      zeroEvidence[k] = sum / graph.weightCount(k);
    }
    bp.reset();
  }

  @Override
  public double zeroEvidenceMarginal(int layer) {
    return zeroEvidence[layer];
  }

  @Override
  public MessagePassingReport[] update(double[][] llrA, double[][] llrBOut, double[][] piOut) {
    if (llrA.length != graph.layers() || llrBOut.length != graph.layers() || piOut.length != graph.layers()) {
      throw new IllegalArgumentException("arrays must cover " + graph.layers() + " weight layers");
    }
    System.arraycopy(graph.field, 0, local, 0, graph.variables);
    for (int k = 0; k < graph.layers(); k++) {
      int n = graph.weightCount(k);
      if (llrA[k].length != n || llrBOut[k].length != n || piOut[k].length != n) {
        throw new IllegalArgumentException("layer " + k + " has " + n + " weights, got llrA " + llrA[k].length
            + ", llrB " + llrBOut[k].length + ", pi " + piOut[k].length);
      }
      int first = graph.weightOffset(k);
      for (int w = 0; w < n; w++) {
        if (Double.isNaN(llrA[k][w])) {
          throw new IllegalArgumentException("LLR_A is NaN at weight " + w + " of layer " + k);
        }
        local[first + w] += LogOdds.clip(llrA[k][w]);
      }
    }
    if (!params.warmStart()) {
      bp.reset();
    }
    MessagePassingReport report = bp.run(local, params.maxSweeps(), params.tolerance());
    bp.incoming(incoming);
    for (int k = 0; k < graph.layers(); k++) {
      int first = graph.weightOffset(k);
      for (int w = 0; w < llrA[k].length; w++) {
        // DESIGN 2, Module B: LLR_B = belief log-odds - LLR_A = prior field + incoming messages
        double llrB = LogOdds.clip(graph.field[first + w] + incoming[first + w]);
        llrBOut[k][w] = llrB;
        piOut[k][w] = LogOdds.sigmoid(llrB);
      }
    }
    MessagePassingReport[] reports = new MessagePassingReport[graph.layers()];
    Arrays.fill(reports, report);
    return reports;
  }

  /** All messages in the first layer's slot (the graph is one), none in the others. */
  @Override
  public double[][] messageLogOdds() {
    double[][] out = new double[graph.layers()][];
    out[0] = bp.messageLogOdds();
    for (int k = 1; k < out.length; k++) {
      out[k] = new double[0];
    }
    return out;
  }

  @Override
  public void restoreMessages(double[][] logOdds) {
    if (logOdds.length != graph.layers()) {
      throw new IllegalArgumentException("messages of " + logOdds.length + " layers for " + graph.layers());
    }
    for (int k = 1; k < logOdds.length; k++) {
      ModuleBArrays.requireNoMessages(logOdds[k]);
    }
    bp.restoreMessages(logOdds[0]);
  }
}
