package io.turbovbi.compress;

import io.turbovbi.data.ImageShape;
import io.turbovbi.nn.ConvGeometry;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.MaxPool2DLayer;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a trained network from an ONNX file as a starting point: the network description from its graph, the
 * parameters from its weights. The graph must be one chain of the engine's operators from its one input: Conv
 * (square kernels, equal strides and padding, one group), Gemm, MatMul (with an Add of a bias after it), Relu,
 * MaxPool (square, no padding), Flatten or Reshape to [N, features], Identity, Constant, a final Softmax, and
 * BatchNormalization right after a Conv or a Gemm/MatMul, which is folded into that layer's weights and biases
 * (inference form: y = scale (x - mean) / sqrt(var + epsilon) + B). Anything else is refused with a message naming
 * the node. The input is [N, C, H, W], or [N, F] (then the shape is this project's metadata, a Reshape to
 * [N, C, H, W] at the start, or 1 x 1 x F).
 */
public final class OnnxImport {
  /** Metadata key of the input shape, C x H x W, in files this project writes. */
  public static final String INPUT_SHAPE_KEY = "turbovbi.input_shape";
  private static final float BATCH_NORM_EPSILON = 1e-5f;

  private OnnxImport() {}

  /**
   * A network read from ONNX.
   *
   * @param network the deterministic network and its parameters (weights [out, in] or [Cout, Cin, k, k])
   * @param metadata the file's metadata_props
   */
  public record Imported(MeanNetwork network, Map<String, String> metadata) {
    public ImageShape shape() {
      Network n = network.network();
      return new ImageShape(n.channels(), n.height(), n.width());
    }

    /**
     * The same network on inputs of another shape of the same size: allowed when its first layer does not see the
     * shape (a dense layer), e.g. a flat [N, 784] input taken as 1 x 28 x 28.
     */
    public Imported withShape(ImageShape shape) {
      if (shape.equals(shape())) {
        return this;
      }
      Network n = network.network();
      if (n.layers().get(0).spatialInput() || shape.size() != n.inputSize()) {
        throw new IllegalArgumentException("the ONNX network takes inputs of " + shape() + ", not " + shape);
      }
      Network rebuilt = network.spec().build(shape.channels(), shape.height(), shape.width(), n.classes(),
          LayerFactory.DETERMINISTIC);
      return new Imported(new MeanNetwork(network.spec(), rebuilt, network.params()), metadata);
    }
  }

  /**
   * @throws IllegalArgumentException if the bytes are not an ONNX model or the graph is not a chain of supported
   *     operators; the message names the node
   */
  public static Imported read(byte[] bytes) {
    ProtoReader model = ProtoReader.parse(bytes);
    ProtoReader graph = model.message(OnnxProto.Model.GRAPH);
    if (graph == null) {
      throw new IllegalArgumentException("not an ONNX model: it has no graph");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (ProtoReader entry : model.messages(OnnxProto.Model.METADATA_PROPS)) {
      metadata.put(entry.string(OnnxProto.StringStringEntry.KEY, ""),
          entry.string(OnnxProto.StringStringEntry.VALUE, ""));
    }
    if (graph.has(OnnxProto.Graph.SPARSE_INITIALIZER)) {
      throw new IllegalArgumentException("the graph has sparse initializers, which are not supported");
    }
    Map<String, Tensor> constants = new HashMap<>();
    for (ProtoReader initializer : graph.messages(OnnxProto.Graph.INITIALIZER)) {
      Tensor tensor = Tensor.of(initializer);
      constants.put(tensor.name(), tensor);
    }
    Chain chain = new Chain(constants, input(graph, constants, metadata));
    for (ProtoReader node : graph.messages(OnnxProto.Graph.NODE)) {
      chain.add(new Node(node));
    }
    return new Imported(chain.network(), Map.copyOf(metadata));
  }

  /** The graph's one data input (inputs that are initializers are constants) and its shape. */
  private static Input input(ProtoReader graph, Map<String, Tensor> constants, Map<String, String> metadata) {
    List<ProtoReader> inputs = graph.messages(OnnxProto.Graph.INPUT).stream()
        .filter(input -> !constants.containsKey(input.string(OnnxProto.ValueInfo.NAME, ""))).toList();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("the graph has " + inputs.size() + " data inputs; one is supported");
    }
    ProtoReader input = inputs.get(0);
    String name = input.string(OnnxProto.ValueInfo.NAME, "");
    ProtoReader type = input.message(OnnxProto.ValueInfo.TYPE);
    ProtoReader tensor = type == null ? null : type.message(OnnxProto.Type.TENSOR_TYPE);
    if (tensor == null || tensor.integer(OnnxProto.Type.TENSOR_ELEM_TYPE, 0) != OnnxProto.Tensor.FLOAT) {
      throw new IllegalArgumentException("input '" + name + "' is not a float tensor");
    }
    ProtoReader shape = tensor.message(OnnxProto.Type.TENSOR_SHAPE);
    List<ProtoReader> dims = shape == null ? List.of() : shape.messages(OnnxProto.Type.SHAPE_DIM);
    long[] sizes = new long[dims.size()];
    for (int i = 1; i < sizes.length; i++) {
      sizes[i] = dims.get(i).integer(OnnxProto.Type.DIM_VALUE, -1);
      if (sizes[i] <= 0) {
        throw new IllegalArgumentException("input '" + name + "' has no fixed size in dimension " + i);
      }
    }
    if (sizes.length == 4) {
      return new Input(name, new ImageShape((int) sizes[1], (int) sizes[2], (int) sizes[3]), true);
    }
    if (sizes.length == 2) {
      String declared = metadata.get(INPUT_SHAPE_KEY);
      ImageShape flat = declared != null ? ImageShape.parse(declared) : new ImageShape(1, 1, (int) sizes[1]);
      if (flat.size() != sizes[1]) {
        throw new IllegalArgumentException("input '" + name + "' has " + sizes[1] + " features but the metadata's "
            + INPUT_SHAPE_KEY + " is " + declared);
      }
      return new Input(name, flat, false);
    }
    throw new IllegalArgumentException("input '" + name + "' has " + sizes.length + " dimensions; [N, C, H, W] or "
        + "[N, features] is supported");
  }

  private record Input(String name, ImageShape shape, boolean spatial) {}

  /** A constant tensor: its dimensions and values (floats as float, integers as long). */
  private record Tensor(String name, long[] dims, float[] floats, long[] longs) {
    static Tensor of(ProtoReader proto) {
      String name = proto.string(OnnxProto.Tensor.NAME, "");
      if (proto.integer(OnnxProto.Tensor.DATA_LOCATION, 0) == OnnxProto.Tensor.LOCATION_EXTERNAL) {
        throw new IllegalArgumentException("tensor '" + name + "' is stored in an external file, which is not "
            + "supported: save the model with its weights inside");
      }
      long[] dims = proto.integers(OnnxProto.Tensor.DIMS);
      long count = Arrays.stream(dims).reduce(1, Math::multiplyExact);
      int type = (int) proto.integer(OnnxProto.Tensor.DATA_TYPE, 0);
      byte[] raw = proto.bytes(OnnxProto.Tensor.RAW_DATA);
      float[] floats = null;
      long[] longs = null;
      switch (type) {
        case OnnxProto.Tensor.FLOAT -> floats = raw != null ? ProtoReader.littleEndianFloats(raw)
            : proto.reals(OnnxProto.Tensor.FLOAT_DATA);
        case OnnxProto.Tensor.DOUBLE -> {
          double[] values = proto.doubles(OnnxProto.Tensor.DOUBLE_DATA);
          if (raw != null) {
            values = new double[raw.length / 8];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
          }
          floats = new float[values.length];
          for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
          }
        }
        case OnnxProto.Tensor.INT64 -> {
          if (raw != null) {
            longs = new long[raw.length / 8];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(longs);
          } else {
            longs = proto.integers(OnnxProto.Tensor.INT64_DATA);
          }
        }
        case OnnxProto.Tensor.INT32 -> {
          if (raw != null) {
            int[] ints = new int[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ints);
            longs = Arrays.stream(ints).asLongStream().toArray();
          } else {
            longs = proto.integers(OnnxProto.Tensor.INT32_DATA);
          }
        }
        default -> throw new IllegalArgumentException("tensor '" + name + "' has ONNX data type " + type
            + "; float, double, int32 and int64 are supported");
      }
      int length = floats != null ? floats.length : longs.length;
      if (length != count) {
        throw new IllegalArgumentException("tensor '" + name + "' has " + length + " values for dimensions "
            + Arrays.toString(dims));
      }
      return new Tensor(name, dims, floats, longs);
    }

    int count() {
      return floats != null ? floats.length : longs.length;
    }
  }

  /** A node with its attributes decoded; {@link #fail} builds the error that names it. */
  private static final class Node {
    final String name;
    final String op;
    final List<String> inputs;
    final List<String> outputs;
    final Map<String, ProtoReader> attributes = new HashMap<>();

    Node(ProtoReader proto) {
      op = proto.string(OnnxProto.Node.OP_TYPE, "");
      inputs = proto.strings(OnnxProto.Node.INPUT);
      outputs = proto.strings(OnnxProto.Node.OUTPUT);
      name = proto.string(OnnxProto.Node.NAME, outputs.isEmpty() ? "" : outputs.get(0));
      String domain = proto.string(OnnxProto.Node.DOMAIN, "");
      if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
        throw fail("is of the operator domain '" + domain + "'; only the standard ONNX operators are supported");
      }
      for (ProtoReader attribute : proto.messages(OnnxProto.Node.ATTRIBUTE)) {
        attributes.put(attribute.string(OnnxProto.Attribute.NAME, ""), attribute);
      }
    }

    IllegalArgumentException fail(String problem) {
      return new IllegalArgumentException("ONNX node '" + name + "' (" + op + ") " + problem);
    }

    long integer(String attribute, long fallback) {
      ProtoReader a = attributes.get(attribute);
      return a == null ? fallback : a.integer(OnnxProto.Attribute.I, fallback);
    }

    float real(String attribute, float fallback) {
      ProtoReader a = attributes.get(attribute);
      return a == null ? fallback : a.real(OnnxProto.Attribute.F, fallback);
    }

    String text(String attribute, String fallback) {
      ProtoReader a = attributes.get(attribute);
      return a == null ? fallback : a.string(OnnxProto.Attribute.S, fallback);
    }

    /** An ints attribute, or {@code fallback} when it is absent. */
    long[] integers(String attribute, long[] fallback) {
      ProtoReader a = attributes.get(attribute);
      return a == null ? fallback : a.integers(OnnxProto.Attribute.INTS);
    }

    /** Checks that only the named attributes are present (an unknown one could change the meaning). */
    void allow(String... known) {
      Set<String> allowed = new HashSet<>(Arrays.asList(known));
      for (String attribute : attributes.keySet()) {
        if (!allowed.contains(attribute)) {
          throw fail("has the attribute '" + attribute + "', which is not supported (known: "
              + String.join(", ", known) + ")");
        }
      }
    }

    /** The number of data outputs this node must have: its first, the others absent or unnamed. */
    void requireOneOutput() {
      if (outputs.isEmpty() || outputs.stream().skip(1).anyMatch(o -> !o.isEmpty())) {
        throw fail("has outputs " + outputs + "; only its first output is supported");
      }
    }
  }

  /** A weight layer being read: its description and its weights [out][in...] and biases, folded as read. */
  private static final class WeightLayer {
    final String text;
    final int outputs;
    final float[] weights;
    final float[] biases;

    WeightLayer(String text, int outputs, float[] weights, float[] biases) {
      this.text = text;
      this.outputs = outputs;
      this.weights = weights;
      this.biases = biases;
    }
  }

  /** The chain of layers read so far, and the shape of the value that flows along it. */
  private static final class Chain {
    private final Map<String, Tensor> constants;
    private final List<Object> layers = new ArrayList<>();
    /** Names that hold the chain's current value (the last output and its Identity aliases). */
    private final Set<String> current = new HashSet<>();
    /** The network's input shape. */
    private ImageShape inputShape;
    /** The shape of the current value while it is an image. */
    private ImageShape shape;
    private boolean spatial;
    private int features;
    /** Whether the graph's input is flat [N, features]: a Reshape at the start may then give it an image shape. */
    private final boolean flatInput;
    /** The weight layer whose output is the current value, if nothing came after it: BatchNorm and Add fold in. */
    private WeightLayer open;
    private String softmax;

    Chain(Map<String, Tensor> constants, Input input) {
      this.constants = constants;
      this.inputShape = input.shape();
      this.shape = input.shape();
      this.spatial = input.spatial();
      this.flatInput = !input.spatial();
      this.features = shape.size();
      current.add(input.name());
    }

    void add(Node node) {
      if (node.op.equals("Constant")) {
        node.allow("value");
        ProtoReader value = node.attributes.get("value");
        if (value == null || value.message(OnnxProto.Attribute.T) == null) {
          throw node.fail("has no tensor 'value'; only tensor constants are supported");
        }
        Tensor tensor = Tensor.of(value.message(OnnxProto.Attribute.T));
        node.requireOneOutput();
        constants.put(node.outputs.get(0), new Tensor(node.outputs.get(0), tensor.dims(), tensor.floats(),
            tensor.longs()));
        return;
      }
      if (softmax != null) {
        throw node.fail("comes after the Softmax '" + softmax + "'; the Softmax must be the last operator");
      }
      if (node.inputs.isEmpty() || !current.contains(node.inputs.get(0))) {
        throw node.fail("reads " + (node.inputs.isEmpty() ? "nothing" : "'" + node.inputs.get(0) + "'")
            + ", not the output of the layer before it " + current + ": only a chain of layers is supported");
      }
      for (String input : node.inputs.subList(1, node.inputs.size())) {
        if (!input.isEmpty() && !constants.containsKey(input)) {
          throw node.fail("reads '" + input + "', which is neither the chain's value nor a constant");
        }
      }
      node.requireOneOutput();
      switch (node.op) {
        case "Identity" -> {
          current.add(node.outputs.get(0));
          return;
        }
        case "Softmax" -> {
          node.allow("axis");
          if (spatial || node.integer("axis", -1) != -1 && node.integer("axis", -1) != 1) {
            throw node.fail("is not over the class scores of [N, classes]");
          }
          softmax = node.name;
          return;
        }
        case "Conv" -> conv(node);
        case "BatchNormalization" -> batchNorm(node);
        case "Gemm" -> gemm(node);
        case "MatMul" -> matMul(node);
        case "Add" -> addBias(node);
        case "Relu" -> {
          node.allow();
          layers.add("relu");
          open = null;
        }
        case "MaxPool" -> maxPool(node);
        case "Flatten" -> {
          node.allow("axis");
          if (node.integer("axis", 1) != 1) {
            throw node.fail("flattens from axis " + node.integer("axis", 1) + "; only axis 1 is supported");
          }
          flatten();
        }
        case "Reshape" -> reshape(node);
        default -> throw node.fail("is not supported; supported operators: Conv, BatchNormalization, Gemm, MatMul, "
            + "Add (a bias), Relu, MaxPool, Flatten, Reshape, Identity, Constant, Softmax");
      }
      current.clear();
      current.add(node.outputs.get(0));
    }

    private Tensor constant(Node node, int index, String role) {
      if (index >= node.inputs.size() || node.inputs.get(index).isEmpty()) {
        throw node.fail("has no " + role);
      }
      return constants.get(node.inputs.get(index));
    }

    private void conv(Node node) {
      node.allow("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
      if (!spatial) {
        throw node.fail("needs an image input, but the chain is flat here");
      }
      Tensor weight = constant(node, 1, "weight");
      long[] dims = weight.dims();
      if (dims.length != 4 || dims[2] != dims[3] || dims[1] != shape.channels()) {
        throw node.fail("has weights " + Arrays.toString(dims) + "; [Cout, " + shape.channels() + ", k, k] is "
            + "supported");
      }
      int out = (int) dims[0];
      int kernel = (int) dims[2];
      long[] kernelShape = node.integers("kernel_shape", new long[] {kernel, kernel});
      long[] strides = node.integers("strides", new long[] {1, 1});
      long[] pads = node.integers("pads", new long[] {0, 0, 0, 0});
      long[] dilations = node.integers("dilations", new long[] {1, 1});
      if (!Arrays.equals(kernelShape, new long[] {kernel, kernel}) || strides.length != 2 || strides[0] != strides[1]
          || pads.length != 4 || Arrays.stream(pads).distinct().count() != 1 || Arrays.stream(dilations)
          .anyMatch(d -> d != 1) || node.integer("group", 1) != 1 || !node.text("auto_pad", "NOTSET")
          .equals("NOTSET")) {
        throw node.fail("has kernel_shape " + Arrays.toString(kernelShape) + ", strides " + Arrays.toString(strides)
            + ", pads " + Arrays.toString(pads) + ", dilations " + Arrays.toString(dilations) + ", group "
            + node.integer("group", 1) + "; square kernels, equal strides, equal padding on all sides, no "
            + "dilation and one group are supported");
      }
      int stride = (int) strides[0];
      int pad = (int) pads[0];
      ConvGeometry geometry;
      try {
        geometry = new ConvGeometry(shape.channels(), shape.height(), shape.width(), out, kernel, stride, pad);
      } catch (IllegalArgumentException e) {
        throw node.fail(e.getMessage());
      }
      float[] bias = bias(node, 2, out);
      String text = "conv(" + out + "," + kernel + (stride != 1 ? ",stride=" + stride : "")
          + (pad != 0 ? ",pad=" + pad : "") + ")";
      open = new WeightLayer(text, out, weight.floats().clone(), bias);
      layers.add(open);
      shape = new ImageShape(out, geometry.outHeight(), geometry.outWidth());
    }

    /** A bias input of {@code out} values, or zeros when it is absent. */
    private float[] bias(Node node, int index, int out) {
      if (index >= node.inputs.size() || node.inputs.get(index).isEmpty()) {
        return new float[out];
      }
      Tensor bias = constants.get(node.inputs.get(index));
      if (bias.floats() == null || bias.count() != out) {
        throw node.fail("has a bias of dimensions " + Arrays.toString(bias.dims()) + "; " + out + " values are "
            + "supported");
      }
      return bias.floats().clone();
    }

    private void batchNorm(Node node) {
      node.allow("epsilon", "momentum", "spatial", "training_mode");
      if (open == null) {
        throw node.fail("does not follow a Conv, Gemm or MatMul directly; only a BatchNormalization that can be "
            + "folded into the layer before it is supported");
      }
      if (node.integer("training_mode", 0) != 0 || node.integer("spatial", 1) != 1) {
        throw node.fail("is in training mode or not spatial; export the model in inference (eval) mode");
      }
      float[][] stats = new float[4][];
      String[] roles = {"scale", "B", "mean", "var"};
      for (int i = 0; i < 4; i++) {
        Tensor tensor = constant(node, i + 1, roles[i]);
        if (tensor.floats() == null || tensor.count() != open.outputs) {
          throw node.fail("has " + roles[i] + " of dimensions " + Arrays.toString(tensor.dims()) + "; "
              + open.outputs + " values (one per output of the layer before) are supported");
        }
        stats[i] = tensor.floats();
      }
      double epsilon = node.real("epsilon", BATCH_NORM_EPSILON);
      int perOutput = open.weights.length / open.outputs;
      for (int o = 0; o < open.outputs; o++) {
        // y = scale (x - mean) / sqrt(var + eps) + B, with x = w . input + b: scale w and shift b.
        double gain = stats[0][o] / Math.sqrt(stats[3][o] + epsilon);
        for (int j = o * perOutput; j < (o + 1) * perOutput; j++) {
          open.weights[j] = (float) (open.weights[j] * gain);
        }
        open.biases[o] = (float) ((open.biases[o] - stats[2][o]) * gain + stats[1][o]);
      }
    }

    private void gemm(Node node) {
      node.allow("alpha", "beta", "transA", "transB");
      requireFlat(node);
      if (node.integer("transA", 0) != 0) {
        throw node.fail("transposes its input (transA=1), which is not supported");
      }
      Tensor weight = constant(node, 1, "weight");
      boolean transposed = node.integer("transB", 0) == 1;
      float[] weights = denseWeights(node, weight, transposed);
      int out = weights.length / features;
      float alpha = node.real("alpha", 1f);
      float beta = node.real("beta", 1f);
      float[] bias = bias(node, 2, out);
      for (int i = 0; i < weights.length; i++) {
        weights[i] *= alpha;
      }
      for (int o = 0; o < out; o++) {
        bias[o] *= beta;
      }
      dense(out, weights, bias);
    }

    private void matMul(Node node) {
      node.allow();
      requireFlat(node);
      float[] weights = denseWeights(node, constant(node, 1, "weight"), false);
      int out = weights.length / features;
      dense(out, weights, new float[out]);
    }

    /** An Add of a constant bias to the output of a dense layer (a MatMul's bias). */
    private void addBias(Node node) {
      node.allow();
      if (open == null || spatial) {
        throw node.fail("does not add a bias to a Gemm or MatMul; only that Add is supported");
      }
      Tensor bias = constant(node, 1, "bias");
      if (bias.floats() == null || bias.count() != open.outputs) {
        throw node.fail("adds a tensor of dimensions " + Arrays.toString(bias.dims()) + "; a bias of "
            + open.outputs + " values is supported");
      }
      for (int o = 0; o < open.outputs; o++) {
        open.biases[o] += bias.floats()[o];
      }
    }

    /** The weights of a dense layer as [out][in]: ONNX's B is [in, out], or [out, in] when transposed. */
    private float[] denseWeights(Node node, Tensor weight, boolean transposed) {
      long[] dims = weight.dims();
      if (weight.floats() == null || dims.length != 2 || dims[transposed ? 1 : 0] != features) {
        throw node.fail("has weights " + Arrays.toString(dims) + " for " + features + " inputs; "
            + (transposed ? "[out, " + features + "]" : "[" + features + ", out]") + " is supported");
      }
      if (transposed) {
        return weight.floats().clone();
      }
      int in = (int) dims[0];
      int out = (int) dims[1];
      float[] weights = new float[in * out];
      for (int i = 0; i < in; i++) {
        for (int o = 0; o < out; o++) {
          weights[o * in + i] = weight.floats()[i * out + o];
        }
      }
      return weights;
    }

    private void dense(int out, float[] weights, float[] bias) {
      open = new WeightLayer("dense(" + out + ")", out, weights, bias);
      layers.add(open);
      features = out;
    }

    private void requireFlat(Node node) {
      if (spatial) {
        throw node.fail("needs a flat input [N, features]; flatten the image first");
      }
    }

    private void maxPool(Node node) {
      node.allow("kernel_shape", "strides", "pads", "ceil_mode", "dilations", "storage_order", "auto_pad");
      if (!spatial) {
        throw node.fail("needs an image input, but the chain is flat here");
      }
      long[] kernel = node.integers("kernel_shape", new long[0]);
      long[] strides = node.integers("strides", new long[] {1, 1});
      long[] pads = node.integers("pads", new long[] {0, 0, 0, 0});
      long[] dilations = node.integers("dilations", new long[] {1, 1});
      if (kernel.length != 2 || kernel[0] != kernel[1] || strides.length != 2 || strides[0] != strides[1]
          || Arrays.stream(pads).anyMatch(p -> p != 0) || Arrays.stream(dilations).anyMatch(d -> d != 1)
          || node.integer("ceil_mode", 0) != 0 || !node.text("auto_pad", "NOTSET").equals("NOTSET")) {
        throw node.fail("has kernel_shape " + Arrays.toString(kernel) + ", strides " + Arrays.toString(strides)
            + ", pads " + Arrays.toString(pads) + ", ceil_mode " + node.integer("ceil_mode", 0) + "; square "
            + "windows, equal strides, no padding, no dilation and floor rounding are supported");
      }
      MaxPool2DLayer pool;
      try {
        pool = new MaxPool2DLayer(shape.channels(), shape.height(), shape.width(), (int) kernel[0],
            (int) strides[0]);
      } catch (IllegalArgumentException e) {
        throw node.fail(e.getMessage());
      }
      layers.add("maxpool(" + kernel[0] + (strides[0] != kernel[0] ? ",stride=" + strides[0] : "") + ")");
      shape = new ImageShape(shape.channels(), pool.outHeight(), pool.outWidth());
      open = null;
    }

    private void flatten() {
      if (spatial) {
        layers.add("flatten");
        features = shape.size();
        spatial = false;
        open = null;
      }
    }

    /** A Reshape to [N, C, H, W] at the start of a flat input, or to [N, features] (a flatten). */
    private void reshape(Node node) {
      node.allow("allowzero");
      Tensor target = constant(node, 1, "shape");
      long[] dims = target.longs();
      if (dims == null) {
        throw node.fail("has a shape that is not an integer tensor");
      }
      boolean batchFirst = dims.length > 0 && (dims[0] == -1 || dims[0] == 0);
      if (batchFirst && dims.length == 4 && layers.isEmpty() && flatInput && !spatial
          && dims[1] * dims[2] * dims[3] == features && dims[1] > 0 && dims[2] > 0 && dims[3] > 0) {
        inputShape = new ImageShape((int) dims[1], (int) dims[2], (int) dims[3]);
        shape = inputShape;
        spatial = true;
        return;
      }
      int size = spatial ? shape.size() : features;
      if (batchFirst && dims.length == 2 && (dims[1] == -1 || dims[1] == size)) {
        flatten();
        return;
      }
      throw node.fail("reshapes to " + Arrays.toString(dims) + "; only [N, features] (a flatten), or [N, C, H, W] "
          + "of a flat input at the start, is supported");
    }

    /** The network read, with its parameters in the engine's layout. */
    MeanNetwork network() {
      if (spatial || layers.stream().noneMatch(layer -> layer instanceof WeightLayer)) {
        throw new IllegalArgumentException("the ONNX graph does not end with class scores [N, classes] from a dense "
            + "layer");
      }
      String description = String.join(" ", layers.stream().map(layer -> layer instanceof WeightLayer w ? w.text
          : (String) layer).toList());
      NetworkSpec spec = NetworkSpec.parse(description);
      Network network = spec.build(inputShape.channels(), inputShape.height(), inputShape.width(), features,
          LayerFactory.DETERMINISTIC);
      float[] params = new float[network.parameterCount()];
      List<WeightLayer> weightLayers = layers.stream().filter(layer -> layer instanceof WeightLayer)
          .map(layer -> (WeightLayer) layer).toList();
      int[] indices = network.weightLayers();
      for (int k = 0; k < indices.length; k++) {
        copy(weightLayers.get(k).weights, network.block(indices[k], ParamKind.WEIGHT), params);
        copy(weightLayers.get(k).biases, network.block(indices[k], ParamKind.BIAS), params);
      }
      return new MeanNetwork(spec, network, params);
    }

    private static void copy(float[] values, ParamBlock block, float[] params) {
      if (values.length != block.length()) {
        throw new IllegalStateException(values.length + " values for a block of " + block.length());
      }
      System.arraycopy(values, 0, params, block.offset(), values.length);
    }
  }
}
