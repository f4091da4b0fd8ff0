package io.turbovbi.bayes;

import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.Initialisation;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.LayerFactory;

/** Builds variational dense and convolution layers whose log-variances start at a given value. */
public record VariationalLayers(double initialLogVar) implements LayerFactory {
  public VariationalLayers {
    if (!Double.isFinite(initialLogVar)) {
      throw new IllegalArgumentException("initial log-variance must be finite, got " + initialLogVar);
    }
  }

  @Override
  public Layer dense(int in, int out, Initialisation initialisation) {
    return new VariationalDense(in, out, initialisation, initialLogVar);
  }

  @Override
  public Layer conv(ConvGeometry geometry, Initialisation initialisation) {
    return new VariationalConv2D(geometry, initialisation, initialLogVar);
  }
}
