package io.turbovbi.compress;

import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;

/** A deterministic network and its parameters. */
public record MeanNetwork(NetworkSpec spec, Network network, float[] params) {
  /** The mean network of a variational one: w = mu, the same biases. */
  public static MeanNetwork of(NetworkSpec spec, Network variational, float[] variationalParams) {
    Network network = spec.build(variational.channels(), variational.height(), variational.width(),
        variational.classes(), LayerFactory.DETERMINISTIC);
    float[] params = new float[network.parameterCount()];
    int[] weightLayers = network.weightLayers();
    for (int k = 0; k < weightLayers.length; k++) {
      int layer = weightLayers[k];
      for (ParamKind kind : new ParamKind[] {ParamKind.WEIGHT, ParamKind.BIAS}) {
        ParamBlock from = variational.block(layer, kind);
        ParamBlock to = network.block(layer, kind);
        System.arraycopy(variationalParams, from.offset(), params, to.offset(), to.length());
      }
    }
    return new MeanNetwork(spec, network, params);
  }

  /** The non-zero pattern of every weight layer. */
  public boolean[][] nonZeros() {
    return nonZeros(network, params);
  }

  /** The non-zero pattern of every weight layer of {@code params} for {@code network}. */
  static boolean[][] nonZeros(Network network, float[] params) {
    int[] weightLayers = network.weightLayers();
    boolean[][] masks = new boolean[weightLayers.length][];
    for (int k = 0; k < weightLayers.length; k++) {
      ParamBlock weights = network.block(weightLayers[k], ParamKind.WEIGHT);
      masks[k] = new boolean[weights.length()];
      for (int n = 0; n < weights.length(); n++) {
        masks[k][n] = params[weights.offset() + n] != 0f;
      }
    }
    return masks;
  }
}
