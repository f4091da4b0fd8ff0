package io.turbovbi.mrf;

/**
 * Rows mode of Module B (DESIGN 1 and 2): only the row chains (each grid row a hidden Markov chain whose first node
 * has prior Bern(lambda)), no column factor and h0 = 0, solved exactly by forward-backward in odds. After Xia, Tsang
 * and Lau, arXiv 2302.10483.
 */
final class RowChainMrf implements SupportMrf {

  private final SupportGrid grid;
  private final ChainFactor rowFactor;
  private final double lambda;
  private final double[] field;
  private final double[] localOdds;
  private final double[] fromLeft;
  private final double[] extrinsic;

  RowChainMrf(SupportGrid grid, MrfParams params) {
    this.grid = grid;
    this.rowFactor = params.rowFactor();
    this.lambda = params.rowLambda();
    int n = grid.size();
    this.field = new double[n];
    for (int r = 0; r < grid.rows(); r++) {
      field[r * grid.cols()] = rowFactor.firstNodeLogOdds();
    }
    this.localOdds = new double[n];
    this.fromLeft = new double[n];
    this.extrinsic = new double[n];
  }

  @Override
  public SupportGrid grid() {
    return grid;
  }

  @Override
  public double zeroEvidenceMarginal() {
    return lambda;
  }

  @Override
  public MessagePassingReport update(double[] llrA, double[] llrBOut, double[] piOut) {
    ModuleBArrays.check(grid, llrA, llrBOut, piOut);
    ModuleBArrays.localOdds(grid, llrA, field, localOdds);
    int cols = grid.cols();
    for (int r = 0; r < grid.rows(); r++) {
      int first = r * cols;
      int last = first + cols - 1;
      // DESIGN 2, Module B: forward pass, message into node j from node j - 1
      fromLeft[first] = 1.0;
      for (int j = first + 1; j <= last; j++) {
        fromLeft[j] = rowFactor.forward(localOdds[j - 1] * fromLeft[j - 1]);
      }
      // backward pass, message into node j from node j + 1; LLR_B = field + both messages
      double fromRight = 1.0;
      for (int j = last; j >= first; j--) {
        extrinsic[j] = field[j] + Math.log(fromLeft[j] * fromRight);
        fromRight = rowFactor.backward(localOdds[j] * fromRight);
      }
    }
    ModuleBArrays.output(grid, extrinsic, llrBOut, piOut);
    return MessagePassingReport.exact(1);
  }

  @Override
  public double[] messageLogOdds() {
    return new double[0];
  }

  @Override
  public void restoreMessages(double[] logOdds) {
    ModuleBArrays.requireNoMessages(logOdds);
  }
}
