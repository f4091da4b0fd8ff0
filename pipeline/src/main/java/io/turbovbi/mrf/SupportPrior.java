package io.turbovbi.mrf;

import java.util.List;

/**
 * Module B of Turbo-VBI for a whole network (DESIGN 2): the support prior of every weight layer combined with
 * Module A's log-likelihood ratios by sum-product. In the grid, rows and iid modes each layer has its own
 * {@link SupportMrf}; in graph mode one {@link SupportGraph} links the layers (a dead unit gates the next layer's
 * inputs). Arrays are per weight layer, in weight order. Not thread-safe.
 */
public interface SupportPrior {

  /**
   * The Module B of a network whose weight layers have these geometries and parameters. Graph mode spans the
   * network, so it is given for every layer or for none.
   */
  static SupportPrior create(List<LayerGeometry> layers, List<MrfParams> params) {
    long graphLayers = params.stream().filter(p -> p.mode() == MrfMode.GRAPH).count();
    if (graphLayers == 0) {
      return new LayerwiseSupportPrior(layers, params);
    }
    if (graphLayers != params.size()) {
      throw new IllegalArgumentException("MRF mode graph links the layers of the network, so it is given for every "
          + "weight layer or for none, got " + params.stream().map(p -> p.mode().toString()).toList());
    }
    return new GraphSupportPrior(layers, params);
  }

  /** Marginal P(s = 1) of a layer's prior without evidence (the mean over its weights in graph mode). */
  double zeroEvidenceMarginal(int layer);

  /**
   * One Module B call for every layer: from LLR_A computes LLR_B = belief log-odds - LLR_A and pi = sigmoid(LLR_B).
   *
   * @return what the message passing did, per layer
   */
  MessagePassingReport[] update(double[][] llrA, double[][] llrBOut, double[][] piOut);

  /** The state carried between calls, per layer, for a checkpoint. */
  double[][] messageLogOdds();

  /** Restores state saved by {@link #messageLogOdds()} on a network of the same geometry and modes. */
  void restoreMessages(double[][] logOdds);
}
