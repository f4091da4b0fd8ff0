package io.turbovbi.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import org.junit.jupiter.api.Test;

class GaussianKlTest {
  private final Network network = NetworkSpec.parse("dense(3) relu dense(2)").build(1, 1, 4, 2,
      new VariationalLayers(-2));

  @Test
  void klMatchesTheClosedFormOfTwoGaussians() {
    float[] params = network.initialParameters(3);
    GaussianKl kl = new GaussianKl(network);
    double[] rho0 = new double[12];
    double[] rho1 = new double[6];
    for (int i = 0; i < rho0.length; i++) {
      rho0[i] = 0.5 + i;
    }
    for (int i = 0; i < rho1.length; i++) {
      rho1[i] = 100.0 / (i + 1);
    }
    kl.setPrecision(0, rho0);
    kl.setPrecision(1, rho1);
    double expected = 0;
    int[] layers = network.weightLayers();
    double[][] rho = {rho0, rho1};
    for (int k = 0; k < 2; k++) {
      ParamBlock mu = network.block(layers[k], ParamKind.WEIGHT);
      ParamBlock lv = network.block(layers[k], ParamKind.LOGVAR);
      for (int i = 0; i < mu.length(); i++) {
        // KL(N(m, s2) || N(0, 1/r)) = ln(sigma_p / sigma_q) + (s2 + m^2) / (2 sigma_p^2) - 1/2
        double m = params[mu.offset() + i];
        double s2 = Math.exp(params[lv.offset() + i]);
        double priorVariance = 1 / rho[k][i];
        expected += 0.5 * Math.log(priorVariance / s2) + (s2 + m * m) / (2 * priorVariance) - 0.5;
      }
    }
    assertEquals(expected, kl.value(params), 1e-9 * Math.abs(expected));
  }

  @Test
  void klGradientMatchesFiniteDifferences() {
    float[] params = network.initialParameters(4);
    GaussianKl kl = new GaussianKl(network);
    kl.setPrecision(3.0);
    float[] gradients = new float[params.length];
    kl.addGradient(params, gradients, 1.0, 0, params.length);
    for (ParamBlock block : network.blocks()) {
      for (int i = block.offset(); i < block.end(); i++) {
        float saved = params[i];
        params[i] = saved + 1e-2f;
        double plus = kl.value(params);
        params[i] = saved - 1e-2f;
        double minus = kl.value(params);
        params[i] = saved;
        double numeric = (plus - minus) / 2e-2;
        assertEquals(numeric, gradients[i], 1e-3 + 1e-3 * Math.abs(numeric), block.kind() + " parameter " + i);
      }
    }
  }

  @Test
  void klIsZeroWhenPosteriorEqualsPrior() {
    float[] params = network.initialParameters(5);
    for (ParamBlock block : network.blocks()) {
      for (int i = block.offset(); i < block.end(); i++) {
        params[i] = block.kind() == ParamKind.LOGVAR ? (float) Math.log(0.25) : block.kind() == ParamKind.WEIGHT
            ? 0f : params[i];
      }
    }
    GaussianKl kl = new GaussianKl(network);
    kl.setPrecision(4.0);
    assertEquals(0.0, kl.value(params), 1e-6);
  }

  @Test
  void deterministicNetworkIsRefused() {
    Network plain = NetworkSpec.parse("dense(2)").build(1, 1, 4, 2, LayerFactory.DETERMINISTIC);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new GaussianKl(plain));
  }
}
