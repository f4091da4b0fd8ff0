package io.turbovbi.turbo;

import io.turbovbi.bayes.VariationalConv2D;
import io.turbovbi.mrf.LayerGeometry;
import io.turbovbi.nn.Conv2DLayer;
import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.MaxPool2DLayer;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.WeightShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The support geometry of each weight layer of a network (DESIGN 1, support graphs): a dense layer that reads the
 * image, or a conv stack through flatten, sees its input as channels x height x width; one that reads hidden units
 * sees them in arbitrary order.
 */
public final class SupportGeometries {
  private SupportGeometries() {}

  /** The geometries of the network's weight layers, in network order. */
  public static List<LayerGeometry> of(Network network) {
    List<LayerGeometry> out = new ArrayList<>();
    int channels = network.channels();
    int height = network.height();
    int width = network.width();
    boolean spatial = true;
    for (Layer layer : network.layers()) {
      WeightShape shape = layer.weightShape();
      ConvGeometry conv = layer instanceof Conv2DLayer c ? c.geometry()
          : layer instanceof VariationalConv2D v ? v.geometry() : null;
      if (conv != null) {
        out.add(LayerGeometry.conv(shape.outputs(), shape.inputs(), shape.kernel()));
        channels = conv.outChannels();
        height = conv.outHeight();
        width = conv.outWidth();
      } else if (layer instanceof MaxPool2DLayer pool) {
        height = pool.outHeight();
        width = pool.outWidth();
      } else if (shape != null) {
        boolean image = spatial && (long) channels * height * width == shape.inputs();
        out.add(image ? LayerGeometry.denseOnImage(shape.outputs(), channels, height, width)
            : LayerGeometry.dense(shape.outputs(), shape.inputs()));
        spatial = false;
      }
    }
    return out;
  }
}
