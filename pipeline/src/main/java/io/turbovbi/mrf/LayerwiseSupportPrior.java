package io.turbovbi.mrf;

import java.util.ArrayList;
import java.util.List;

/** Module B as one independent {@link SupportMrf} per layer on its weight-matrix grid (grid, rows, iid modes). */
final class LayerwiseSupportPrior implements SupportPrior {

  private final List<SupportMrf> layers = new ArrayList<>();

  LayerwiseSupportPrior(List<LayerGeometry> geometries, List<MrfParams> params) {
    if (geometries.size() != params.size()) {
      throw new IllegalArgumentException(geometries.size() + " layer geometries but " + params.size()
          + " layer MRF parameters");
    }
    for (int k = 0; k < geometries.size(); k++) {
      layers.add(SupportMrf.create(geometries.get(k).grid(), params.get(k)));
    }
  }

  @Override
  public double zeroEvidenceMarginal(int layer) {
    return layers.get(layer).zeroEvidenceMarginal();
  }

  @Override
  public MessagePassingReport[] update(double[][] llrA, double[][] llrBOut, double[][] piOut) {
    MessagePassingReport[] reports = new MessagePassingReport[layers.size()];
    for (int k = 0; k < reports.length; k++) {
      reports[k] = layers.get(k).update(llrA[k], llrBOut[k], piOut[k]);
    }
    return reports;
  }

  @Override
  public double[][] messageLogOdds() {
    return layers.stream().map(SupportMrf::messageLogOdds).toArray(double[][]::new);
  }

  @Override
  public void restoreMessages(double[][] logOdds) {
    if (logOdds.length != layers.size()) {
      throw new IllegalArgumentException("messages of " + logOdds.length + " layers for " + layers.size());
    }
    for (int k = 0; k < logOdds.length; k++) {
      layers.get(k).restoreMessages(logOdds[k]);
    }
  }
}
