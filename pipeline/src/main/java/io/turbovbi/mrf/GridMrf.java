package io.turbovbi.mrf;

/**
 * Grid mode of Module B (DESIGN 1 and 2): row chains, column chains and the node field h0, solved by damped loopy
 * BP ({@link GridBeliefPropagation}), messages kept between calls when warm start is on. After Xia, Tsang and Lau,
 * arXiv 2302.10483.
 *
 * <p>Below the critical coupling, with rows and columns sharing lambda, h0 = ln(p10 / p01) in closed form and the
 * zero-evidence marginal is lambda. Otherwise (a library caller's choice; the job refuses it without an explicit
 * override) h0 comes from {@link FieldCalibrator}, which under strong coupling can only place it at the jump of a
 * bistable marginal.
 */
final class GridMrf implements SupportMrf {

  private final SupportGrid grid;
  private final MrfParams params;
  private final FieldCalibration calibration;
  private final double[] field;
  private final GridBeliefPropagation bp;
  private final double[] localOdds;
  private final double[] extrinsic;

  GridMrf(SupportGrid grid, MrfParams params) {
    this.grid = grid;
    this.params = params;
    this.calibration = params.supercriticalReason() == null && params.sameLambda()
        ? new FieldCalibration(params.closedFormField(), params.rowLambda(), params.rowLambda(), 0, 0)
        : FieldCalibrator.calibrate(grid.rows(), grid.cols(), params);
    ChainFactor rowFactor = params.rowFactor();
    ChainFactor colFactor = params.colFactor();
    this.field = GridBeliefPropagation.priorField(grid.rows(), grid.cols(), rowFactor, colFactor,
        calibration.h0());
    this.bp = new GridBeliefPropagation(grid.rows(), grid.cols(), rowFactor, colFactor, params.damping(),
        params.schedule());
    this.localOdds = new double[grid.size()];
    this.extrinsic = new double[grid.size()];
  }

  @Override
  public SupportGrid grid() {
    return grid;
  }

  @Override
  public double zeroEvidenceMarginal() {
    return calibration.interiorMarginal();
  }

  @Override
  public MessagePassingReport update(double[] llrA, double[] llrBOut, double[] piOut) {
    ModuleBArrays.check(grid, llrA, llrBOut, piOut);
    ModuleBArrays.localOdds(grid, llrA, field, localOdds);
    if (!params.warmStart()) {
      bp.reset();
    }
    MessagePassingReport report = bp.run(localOdds, params.maxSweeps(), params.tolerance());
    // DESIGN 2, Module B: LLR_B = belief log-odds - LLR_A = prior field + incoming messages
    for (int node = 0; node < extrinsic.length; node++) {
      extrinsic[node] = field[node] + bp.incomingLogOdds(node);
    }
    ModuleBArrays.output(grid, extrinsic, llrBOut, piOut);
    return report;
  }

  @Override
  public double[] messageLogOdds() {
    return bp.messageLogOdds();
  }

  @Override
  public void restoreMessages(double[] logOdds) {
    bp.restoreMessages(logOdds);
  }
}
