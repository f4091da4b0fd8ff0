package io.turbovbi.nn;

/** Makes the layers that carry weights, so that one network description builds deterministic or variational nets. */
public interface LayerFactory {
  Layer dense(int in, int out, Initialisation initialisation);

  Layer conv(ConvGeometry geometry, Initialisation initialisation);

  /** Plain deterministic layers. */
  LayerFactory DETERMINISTIC = new LayerFactory() {
    @Override
    public Layer dense(int in, int out, Initialisation initialisation) {
      return new DenseLayer(in, out, initialisation);
    }

    @Override
    public Layer conv(ConvGeometry geometry, Initialisation initialisation) {
      return new Conv2DLayer(geometry, initialisation);
    }
  };
}
