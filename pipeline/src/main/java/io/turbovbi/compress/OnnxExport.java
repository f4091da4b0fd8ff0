package io.turbovbi.compress;

import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.Conv2DLayer;
import io.turbovbi.nn.DenseLayer;
import io.turbovbi.nn.FlattenLayer;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.MaxPool2DLayer;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.ReluLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a deterministic network as an ONNX model (IR version 8, opset 13) with standard operators only: Reshape,
 * Conv, Relu, MaxPool, Flatten, Gemm and Softmax. Input {@code input} holds a batch of flat rows
 * {@code [N, C*H*W]} as the engine takes them; outputs are {@code logits} and {@code probability}
 * ({@code [N, classes]}).
 */
public final class OnnxExport {
  private static final int IR_VERSION = 8;
  private static final int OPSET = 13;
  private static final int FLOAT = 1;
  private static final int INT64 = 7;
  private static final int ATTRIBUTE_INT = 2;
  private static final int ATTRIBUTE_INTS = 7;

  private OnnxExport() {}

  public static byte[] toBytes(MeanNetwork model, String producerVersion) {
    Network network = model.network();
    float[] params = model.params();
    List<ProtoWriter> nodes = new ArrayList<>();
    List<ProtoWriter> initializers = new ArrayList<>();
    String current = "input";
    if (network.layers().get(0).spatialInput()) {
      initializers.add(int64Tensor("image_shape", new long[] {-1, network.channels(), network.height(),
          network.width()}));
      nodes.add(node("Reshape", List.of(current, "image_shape"), "image", List.of()));
      current = "image";
    }
    for (int i = 0; i < network.layers().size(); i++) {
      Layer layer = network.layers().get(i);
      String output = "layer" + (i + 1);
      if (layer instanceof Conv2DLayer conv) {
        ConvGeometry g = conv.geometry();
        ParamBlock weights = network.block(i, ParamKind.WEIGHT);
        ParamBlock bias = network.block(i, ParamKind.BIAS);
        initializers.add(floatTensor(output + ".weight", params, weights.offset(), new long[] {g.outChannels(),
            g.inChannels(), g.kernel(), g.kernel()}));
        initializers.add(floatTensor(output + ".bias", params, bias.offset(), new long[] {g.outChannels()}));
        nodes.add(node("Conv", List.of(current, output + ".weight", output + ".bias"), output, List.of(
            ints("kernel_shape", g.kernel(), g.kernel()), ints("strides", g.stride(), g.stride()),
            ints("pads", g.padding(), g.padding(), g.padding(), g.padding()))));
      } else if (layer instanceof DenseLayer dense) {
        ParamBlock weights = network.block(i, ParamKind.WEIGHT);
        ParamBlock bias = network.block(i, ParamKind.BIAS);
        initializers.add(floatTensor(output + ".weight", params, weights.offset(), new long[] {dense.outputSize(),
            dense.inputSize()}));
        initializers.add(floatTensor(output + ".bias", params, bias.offset(), new long[] {dense.outputSize()}));
        nodes.add(node("Gemm", List.of(current, output + ".weight", output + ".bias"), output,
            List.of(integer("transB", 1))));
      } else if (layer instanceof ReluLayer) {
        nodes.add(node("Relu", List.of(current), output, List.of()));
      } else if (layer instanceof MaxPool2DLayer pool) {
        nodes.add(node("MaxPool", List.of(current), output, List.of(ints("kernel_shape", pool.size(),
            pool.size()), ints("strides", pool.stride(), pool.stride()))));
      } else if (layer instanceof FlattenLayer) {
        nodes.add(node("Flatten", List.of(current), output, List.of(integer("axis", 1))));
      } else {
        throw new IllegalArgumentException("no ONNX operator for " + layer.describe());
      }
      current = output;
    }
    nodes.add(node("Identity", List.of(current), "logits", List.of()));
    nodes.add(node("Softmax", List.of(current), "probability", List.of(integer("axis", 1))));

    ProtoWriter graph = new ProtoWriter();
    for (ProtoWriter node : nodes) {
      graph.message(1, node);
    }
    graph.string(2, "turbovbi");
    for (ProtoWriter initializer : initializers) {
      graph.message(5, initializer);
    }
    graph.message(11, valueInfo("input", network.inputSize()));
    graph.message(12, valueInfo("logits", network.classes()));
    graph.message(12, valueInfo("probability", network.classes()));
    ProtoWriter modelProto = new ProtoWriter().varint(1, IR_VERSION).string(2, "turbovbi")
        .string(3, producerVersion).message(7, graph).message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
    return modelProto.toByteArray();
  }

  private static ProtoWriter node(String op, List<String> inputs, String output, List<ProtoWriter> attributes) {
    ProtoWriter node = new ProtoWriter();
    inputs.forEach(input -> node.string(1, input));
    node.string(2, output).string(3, output + "." + op).string(4, op);
    attributes.forEach(attribute -> node.message(5, attribute));
    return node;
  }

  private static ProtoWriter ints(String name, long... values) {
    ProtoWriter attribute = new ProtoWriter().string(1, name);
    for (long value : values) {
      attribute.varint(8, value);
    }
    return attribute.varint(20, ATTRIBUTE_INTS);
  }

  private static ProtoWriter integer(String name, long value) {
    return new ProtoWriter().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
  }

  private static ProtoWriter floatTensor(String name, float[] values, int offset, long[] dims) {
    ProtoWriter tensor = new ProtoWriter();
    long count = 1;
    for (long dim : dims) {
      tensor.varint(1, dim);
      count *= dim;
    }
    return tensor.varint(2, FLOAT).string(8, name).bytes(9, ProtoWriter.floats(values, offset, (int) count));
  }

  private static ProtoWriter int64Tensor(String name, long[] values) {
    ProtoWriter tensor = new ProtoWriter().varint(1, values.length).varint(2, INT64).string(8, name);
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 * values.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      buffer.putLong(value);
    }
    return tensor.bytes(9, buffer.array());
  }

  /** A float tensor [N, size] with a symbolic batch dimension. */
  private static ProtoWriter valueInfo(String name, int size) {
    ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().string(2, "N"))
        .message(1, new ProtoWriter().varint(1, size));
    ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }
}
