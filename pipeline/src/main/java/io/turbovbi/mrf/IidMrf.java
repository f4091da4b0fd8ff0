package io.turbovbi.mrf;

import java.util.Arrays;

/** Iid mode (DESIGN 1): Module B off, pi = lambda for every weight whatever LLR_A says. */
final class IidMrf implements SupportMrf {

  private final SupportGrid grid;
  private final double lambda;
  private final double logOdds;

  IidMrf(SupportGrid grid, MrfParams params) {
    this.grid = grid;
    this.lambda = params.rowLambda();
    this.logOdds = params.rowFactor().firstNodeLogOdds();
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
    Arrays.fill(llrBOut, logOdds);
    Arrays.fill(piOut, lambda);
    return MessagePassingReport.exact(0);
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
