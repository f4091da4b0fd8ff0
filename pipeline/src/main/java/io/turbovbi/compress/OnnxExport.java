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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a deterministic network as an ONNX model (IR version 8, opset 13) with standard operators only: Reshape,
 * Conv, Relu, MaxPool, Flatten, Gemm and Softmax. Input {@code input} holds a batch of flat rows
 * {@code [N, C*H*W]} as the engine takes them; outputs are {@code logits} and {@code probability}
 * ({@code [N, classes]}). The input shape, and whatever else the caller adds (the input contract), are written as
 * the model's metadata_props; {@link OnnxImport} reads such a file back.
 */
public final class OnnxExport {
  private static final int IR_VERSION = 8;
  private static final int OPSET = 13;

  private OnnxExport() {}

  /** The model with its input shape ({@value OnnxImport#INPUT_SHAPE_KEY}) as metadata. */
  public static byte[] toBytes(MeanNetwork model, String producerVersion) {
    return toBytes(model, producerVersion, Map.of());
  }

  /**
   * @param metadata metadata_props to write beside the input shape (e.g. the input scaling and class labels)
   */
  public static byte[] toBytes(MeanNetwork model, String producerVersion, Map<String, String> metadata) {
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
      graph.message(OnnxProto.Graph.NODE, node);
    }
    graph.string(OnnxProto.Graph.NAME, "turbovbi");
    for (ProtoWriter initializer : initializers) {
      graph.message(OnnxProto.Graph.INITIALIZER, initializer);
    }
    graph.message(OnnxProto.Graph.INPUT, valueInfo("input", network.inputSize()));
    graph.message(OnnxProto.Graph.OUTPUT, valueInfo("logits", network.classes()));
    graph.message(OnnxProto.Graph.OUTPUT, valueInfo("probability", network.classes()));
    ProtoWriter modelProto = new ProtoWriter().varint(OnnxProto.Model.IR_VERSION, IR_VERSION)
        .string(OnnxProto.Model.PRODUCER_NAME, "turbovbi").string(OnnxProto.Model.PRODUCER_VERSION, producerVersion)
        .message(OnnxProto.Model.GRAPH, graph).message(OnnxProto.Model.OPSET_IMPORT, new ProtoWriter()
            .string(OnnxProto.OperatorSetId.DOMAIN, "").varint(OnnxProto.OperatorSetId.VERSION, OPSET));
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(OnnxImport.INPUT_SHAPE_KEY, network.channels() + "x" + network.height() + "x" + network.width());
    properties.putAll(metadata);
    properties.forEach((key, value) -> modelProto.message(OnnxProto.Model.METADATA_PROPS, new ProtoWriter()
        .string(OnnxProto.StringStringEntry.KEY, key).string(OnnxProto.StringStringEntry.VALUE, value)));
    return modelProto.toByteArray();
  }

  private static ProtoWriter node(String op, List<String> inputs, String output, List<ProtoWriter> attributes) {
    ProtoWriter node = new ProtoWriter();
    inputs.forEach(input -> node.string(OnnxProto.Node.INPUT, input));
    node.string(OnnxProto.Node.OUTPUT, output).string(OnnxProto.Node.NAME, output + "." + op)
        .string(OnnxProto.Node.OP_TYPE, op);
    attributes.forEach(attribute -> node.message(OnnxProto.Node.ATTRIBUTE, attribute));
    return node;
  }

  private static ProtoWriter ints(String name, long... values) {
    ProtoWriter attribute = new ProtoWriter().string(OnnxProto.Attribute.NAME, name);
    for (long value : values) {
      attribute.varint(OnnxProto.Attribute.INTS, value);
    }
    return attribute.varint(OnnxProto.Attribute.TYPE, OnnxProto.Attribute.TYPE_INTS);
  }

  private static ProtoWriter integer(String name, long value) {
    return new ProtoWriter().string(OnnxProto.Attribute.NAME, name).varint(OnnxProto.Attribute.I, value)
        .varint(OnnxProto.Attribute.TYPE, OnnxProto.Attribute.TYPE_INT);
  }

  private static ProtoWriter floatTensor(String name, float[] values, int offset, long[] dims) {
    ProtoWriter tensor = new ProtoWriter();
    long count = 1;
    for (long dim : dims) {
      tensor.varint(OnnxProto.Tensor.DIMS, dim);
      count *= dim;
    }
    return tensor.varint(OnnxProto.Tensor.DATA_TYPE, OnnxProto.Tensor.FLOAT).string(OnnxProto.Tensor.NAME, name)
        .bytes(OnnxProto.Tensor.RAW_DATA, ProtoWriter.floats(values, offset, (int) count));
  }

  private static ProtoWriter int64Tensor(String name, long[] values) {
    ProtoWriter tensor = new ProtoWriter().varint(OnnxProto.Tensor.DIMS, values.length)
        .varint(OnnxProto.Tensor.DATA_TYPE, OnnxProto.Tensor.INT64).string(OnnxProto.Tensor.NAME, name);
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 * values.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      buffer.putLong(value);
    }
    return tensor.bytes(OnnxProto.Tensor.RAW_DATA, buffer.array());
  }

  /** A float tensor [N, size] with a symbolic batch dimension. */
  private static ProtoWriter valueInfo(String name, int size) {
    ProtoWriter shape = new ProtoWriter()
        .message(OnnxProto.Type.SHAPE_DIM, new ProtoWriter().string(OnnxProto.Type.DIM_PARAM, "N"))
        .message(OnnxProto.Type.SHAPE_DIM, new ProtoWriter().varint(OnnxProto.Type.DIM_VALUE, size));
    ProtoWriter tensorType = new ProtoWriter().varint(OnnxProto.Type.TENSOR_ELEM_TYPE, OnnxProto.Tensor.FLOAT)
        .message(OnnxProto.Type.TENSOR_SHAPE, shape);
    return new ProtoWriter().string(OnnxProto.ValueInfo.NAME, name).message(OnnxProto.ValueInfo.TYPE,
        new ProtoWriter().message(OnnxProto.Type.TENSOR_TYPE, tensorType));
  }
}
