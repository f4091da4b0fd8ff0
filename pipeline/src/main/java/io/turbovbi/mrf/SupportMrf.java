package io.turbovbi.mrf;

/**
 * Module B of Turbo-VBI for one layer (DESIGN 2): the support prior p(s) of the layer (DESIGN 1) combined with
 * Module A's log-likelihood ratios by sum-product, returning the extrinsic messages. Arrays are in weight order.
 *
 * <p>Per outer iteration the Turbo loop calls {@link #update} with Module A's LLR_A and passes the returned pi to
 * Module A's s-step. Before the first call, pi is initialised to {@link #zeroEvidenceMarginal()}. Instances hold
 * per-layer state (messages, scratch arrays) and are not thread-safe.
 */
public interface SupportMrf {

  /** The Module B of a layer with this support grid and these parameters (grid, rows or iid). */
  static SupportMrf create(SupportGrid grid, MrfParams params) {
    return switch (params.mode()) {
      case GRID -> new GridMrf(grid, params);
      case ROWS -> new RowChainMrf(grid, params);
      case IID -> new IidMrf(grid, params);
      case GRAPH -> throw new IllegalArgumentException("graph mode spans the network: build it with "
          + "SupportPrior.create");
    };
  }

  SupportGrid grid();

  /** Marginal P(s = 1) of the layer's prior without evidence: lambda (rows, iid) or the calibrated grid value. */
  double zeroEvidenceMarginal();

  /**
   * One Module B call: from LLR_A (Module A's log-likelihood ratios, clipped to +-30 on entry) computes
   * LLR_B = belief log-odds - LLR_A and pi = sigmoid(LLR_B), both clipped like every log-odds.
   *
   * @param llrA    Module A's log-likelihood ratio per weight (read)
   * @param llrBOut extrinsic log-odds per weight (written)
   * @param piOut   P_B(s = 1) per weight, the prior of Module A's next s-step (written)
   */
  MessagePassingReport update(double[] llrA, double[] llrBOut, double[] piOut);

  /** The state carried between calls, as log-odds for a checkpoint (empty when the mode keeps no state). */
  double[] messageLogOdds();

  /** Restores state saved by {@link #messageLogOdds()} on a layer of the same grid and mode. */
  void restoreMessages(double[] logOdds);
}
