package io.turbovbi.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A network read from ONNX computes what ONNX Runtime computes on the same file: graphs written here with batch
 * normalisation to fold, this project's own export, and a CNN trained in PyTorch (a fixture with PyTorch's figures).
 */
class OnnxImportTest {
  private static final String FIXTURE = "/io/turbovbi/compress/pytorch-cnn-bn";

  /** The imported network's logits for {@code count} flat rows of {@code inputs}. */
  private static float[] engineLogits(MeanNetwork model, float[] inputs, int count) {
    float[] logits = new float[count * model.network().classes()];
    try (GradientEngine engine = new GradientEngine(model.network(), 1, count)) {
      engine.predict(model.params(), inputs, 0, count, logits);
    }
    return logits;
  }

  /** ONNX Runtime's output {@code output} for {@code count} rows of {@code inputs} fed as {@code shape}. */
  private static float[] runtimeOutput(byte[] onnx, String input, long[] shape, float[] inputs, String output)
      throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    long size = 1;
    for (long dim : shape) {
      size *= dim;
    }
    try (OrtSession session = environment.createSession(onnx);
         OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(inputs, 0, (int) size), shape);
         OrtSession.Result result = session.run(Map.of(input, tensor))) {
      float[][] values = (float[][]) result.get(output).get().getValue();
      float[] flat = new float[values.length * values[0].length];
      for (int i = 0; i < values.length; i++) {
        System.arraycopy(values[i], 0, flat, i * values[0].length, values[0].length);
      }
      return flat;
    }
  }

  private static double largestDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  private static float[] random(SplittableRandom random, int count, double low, double high) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (low + (high - low) * random.nextDouble());
    }
    return values;
  }

  /** A graph written field by field, for operators and attributes the exporter never writes. */
  private static final class GraphWriter {
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();

    GraphWriter node(String op, String name, List<String> inputs, String output, ProtoWriter... attributes) {
      ProtoWriter node = new ProtoWriter();
      inputs.forEach(input -> node.string(OnnxProto.Node.INPUT, input));
      node.string(OnnxProto.Node.OUTPUT, output).string(OnnxProto.Node.NAME, name).string(OnnxProto.Node.OP_TYPE, op);
      for (ProtoWriter attribute : attributes) {
        node.message(OnnxProto.Node.ATTRIBUTE, attribute);
      }
      nodes.add(node);
      return this;
    }

    GraphWriter floats(String name, float[] values, long... dims) {
      ProtoWriter tensor = new ProtoWriter();
      for (long dim : dims) {
        tensor.varint(OnnxProto.Tensor.DIMS, dim);
      }
      initializers.add(tensor.varint(OnnxProto.Tensor.DATA_TYPE, OnnxProto.Tensor.FLOAT)
          .string(OnnxProto.Tensor.NAME, name)
          .bytes(OnnxProto.Tensor.RAW_DATA, ProtoWriter.floats(values, 0, values.length)));
      return this;
    }

    static ProtoWriter ints(String name, long... values) {
      ProtoWriter attribute = new ProtoWriter().string(OnnxProto.Attribute.NAME, name);
      for (long value : values) {
        attribute.varint(OnnxProto.Attribute.INTS, value);
      }
      return attribute.varint(OnnxProto.Attribute.TYPE, OnnxProto.Attribute.TYPE_INTS);
    }

    static ProtoWriter integer(String name, long value) {
      return new ProtoWriter().string(OnnxProto.Attribute.NAME, name).varint(OnnxProto.Attribute.I, value)
          .varint(OnnxProto.Attribute.TYPE, OnnxProto.Attribute.TYPE_INT);
    }

    static ProtoWriter real(String name, float value) {
      return new ProtoWriter().string(OnnxProto.Attribute.NAME, name).float32(OnnxProto.Attribute.F, value)
          .varint(OnnxProto.Attribute.TYPE, OnnxProto.Attribute.TYPE_FLOAT);
    }

    private static ProtoWriter valueInfo(String name, long... dims) {
      ProtoWriter shape = new ProtoWriter()
          .message(OnnxProto.Type.SHAPE_DIM, new ProtoWriter().string(OnnxProto.Type.DIM_PARAM, "N"));
      for (long dim : dims) {
        shape.message(OnnxProto.Type.SHAPE_DIM, new ProtoWriter().varint(OnnxProto.Type.DIM_VALUE, dim));
      }
      ProtoWriter tensorType = new ProtoWriter().varint(OnnxProto.Type.TENSOR_ELEM_TYPE, OnnxProto.Tensor.FLOAT)
          .message(OnnxProto.Type.TENSOR_SHAPE, shape);
      return new ProtoWriter().string(OnnxProto.ValueInfo.NAME, name).message(OnnxProto.ValueInfo.TYPE,
          new ProtoWriter().message(OnnxProto.Type.TENSOR_TYPE, tensorType));
    }

    /** The model: input {@code input} of [N, dims...], output {@code output} of [N, classes]. */
    byte[] model(String input, long[] dims, String output, int classes) {
      ProtoWriter graph = new ProtoWriter();
      nodes.forEach(node -> graph.message(OnnxProto.Graph.NODE, node));
      graph.string(OnnxProto.Graph.NAME, "test");
      initializers.forEach(tensor -> graph.message(OnnxProto.Graph.INITIALIZER, tensor));
      graph.message(OnnxProto.Graph.INPUT, valueInfo(input, dims));
      graph.message(OnnxProto.Graph.OUTPUT, valueInfo(output, classes));
      return new ProtoWriter().varint(OnnxProto.Model.IR_VERSION, 8).message(OnnxProto.Model.GRAPH, graph)
          .message(OnnxProto.Model.OPSET_IMPORT, new ProtoWriter().string(OnnxProto.OperatorSetId.DOMAIN, "")
              .varint(OnnxProto.OperatorSetId.VERSION, 13)).toByteArray();
    }
  }

  /**
   * Conv - BatchNormalization - Relu - MaxPool - Flatten - Gemm (B not transposed, alpha and beta) -
   * BatchNormalization - Relu - MatMul - Add, on 2 x 9 x 9 images.
   */
  private static byte[] graphWithBatchNorms(SplittableRandom random) {
    GraphWriter g = new GraphWriter();
    g.floats("conv.w", random(random, 4 * 2 * 3 * 3, -0.5, 0.5), 4, 2, 3, 3)
        .floats("conv.b", random(random, 4, -0.2, 0.2), 4)
        .floats("bn1.scale", random(random, 4, 0.5, 2), 4).floats("bn1.b", random(random, 4, -1, 1), 4)
        .floats("bn1.mean", random(random, 4, -0.5, 0.5), 4).floats("bn1.var", random(random, 4, 0.1, 3), 4)
        .floats("fc1.w", random(random, 36 * 12, -0.3, 0.3), 36, 12)
        .floats("fc1.b", random(random, 12, -0.2, 0.2), 12)
        .floats("bn2.scale", random(random, 12, 0.5, 2), 12).floats("bn2.b", random(random, 12, -1, 1), 12)
        .floats("bn2.mean", random(random, 12, -0.5, 0.5), 12).floats("bn2.var", random(random, 12, 0.1, 3), 12)
        .floats("fc2.w", random(random, 12 * 5, -0.5, 0.5), 12, 5).floats("fc2.b", random(random, 5, -0.2, 0.2), 5);
    g.node("Conv", "conv", List.of("image", "conv.w", "conv.b"), "c1", GraphWriter.ints("kernel_shape", 3, 3),
            GraphWriter.ints("pads", 1, 1, 1, 1), GraphWriter.ints("strides", 1, 1))
        .node("BatchNormalization", "bn1", List.of("c1", "bn1.scale", "bn1.b", "bn1.mean", "bn1.var"), "n1",
            GraphWriter.real("epsilon", 1e-3f))
        .node("Relu", "relu1", List.of("n1"), "r1")
        .node("MaxPool", "pool", List.of("r1"), "p1", GraphWriter.ints("kernel_shape", 3, 3),
            GraphWriter.ints("strides", 3, 3))
        .node("Flatten", "flatten", List.of("p1"), "f1", GraphWriter.integer("axis", 1))
        .node("Gemm", "fc1", List.of("f1", "fc1.w", "fc1.b"), "g1", GraphWriter.real("alpha", 0.5f),
            GraphWriter.real("beta", 2f))
        .node("BatchNormalization", "bn2", List.of("g1", "bn2.scale", "bn2.b", "bn2.mean", "bn2.var"), "n2")
        .node("Relu", "relu2", List.of("n2"), "r2")
        .node("MatMul", "fc2", List.of("r2", "fc2.w"), "m2")
        .node("Add", "fc2.bias", List.of("m2", "fc2.b"), "logits");
    return g.model("image", new long[] {2, 9, 9}, "logits", 5);
  }

  @Test
  void batchNormsFoldedIntoConvAndGemmGiveOnnxRuntimesLogits() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    byte[] onnx = graphWithBatchNorms(random);
    OnnxImport.Imported imported = OnnxImport.read(onnx);
    assertEquals("conv(4,3,pad=1) relu maxpool(3) flatten dense(12) relu dense(5)",
        imported.network().spec().toString());
    assertEquals("2x9x9", imported.shape().toString());
    int count = 50;
    float[] inputs = random(random, count * 2 * 81, -1, 1);
    float[] expected = runtimeOutput(onnx, "image", new long[] {count, 2, 9, 9}, inputs, "logits");
    double worst = largestDifference(expected, engineLogits(imported.network(), inputs, count));
    System.out.printf("batch norms folded: largest logit difference from ONNX Runtime %.2g%n", worst);
    assertTrue(worst < 1e-4, "largest difference " + worst);
  }

  @Test
  void anExportedNetworkReadsBackAsTheSameNetwork() {
    NetworkSpec spec = NetworkSpec.parse("conv(4,3,stride=2,pad=1) relu maxpool(2,stride=1) flatten dense(7)");
    Network network = spec.build(3, 10, 10, 7, LayerFactory.DETERMINISTIC);
    MeanNetwork model = new MeanNetwork(spec, network, network.initialParameters(4));
    OnnxImport.Imported imported = OnnxImport.read(OnnxExport.toBytes(model, "test", Map.of("k", "v")));
    assertEquals(spec.toString(), imported.network().spec().toString());
    assertEquals("3x10x10", imported.shape().toString());
    assertArrayEquals(model.params(), imported.network().params());
    assertEquals("v", imported.metadata().get("k"));
    assertEquals("3x10x10", imported.metadata().get(OnnxImport.INPUT_SHAPE_KEY));
  }

  @Test
  void aDenseNetworkTakesItsShapeFromTheMetadataOrAnotherOfTheSameSize() {
    NetworkSpec spec = NetworkSpec.parse("lenet300");
    Network network = spec.build(1, 28, 28, 10, LayerFactory.DETERMINISTIC);
    OnnxImport.Imported imported = OnnxImport.read(OnnxExport.toBytes(new MeanNetwork(spec, network,
        network.initialParameters(2)), "test"));
    assertEquals("1x28x28", imported.shape().toString());
    assertEquals("2x14x28", imported.withShape(io.turbovbi.data.ImageShape.parse("2x14x28")).shape().toString());
    assertThrows(IllegalArgumentException.class, () -> imported.withShape(io.turbovbi.data.ImageShape.parse(
        "1x28x27")));
  }

  @Test
  void anUnsupportedOperatorIsRefusedNamingTheNode() {
    GraphWriter g = new GraphWriter().floats("w", new float[16 * 10], 16, 10);
    g.node("MatMul", "fc", List.of("x", "w"), "h").node("Tanh", "squash", List.of("h"), "y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxImport.read(g.model("x", new long[] {16}, "y", 10)));
    assertTrue(e.getMessage().startsWith("ONNX node 'squash' (Tanh) is not supported"), e.getMessage());
  }

  @Test
  void anUnsupportedShapeIsRefusedNamingTheNode() {
    GraphWriter g = new GraphWriter().floats("w", new float[3 * 2 * 3 * 2], 3, 2, 3, 2);
    g.node("Conv", "rectangular", List.of("x", "w"), "y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxImport.read(g.model("x", new long[] {2, 8, 8}, "y", 10)));
    assertTrue(e.getMessage().startsWith("ONNX node 'rectangular' (Conv) has weights [3, 2, 3, 2]"), e.getMessage());
  }

  @Test
  void aCnnTrainedInPyTorchKeepsItsAccuracyAndLogits() throws Exception {
    byte[] onnx;
    JsonNode figures;
    try (InputStream model = OnnxImportTest.class.getResourceAsStream(FIXTURE + ".onnx");
         InputStream json = OnnxImportTest.class.getResourceAsStream(FIXTURE + ".json")) {
      onnx = model.readAllBytes();
      figures = new ObjectMapper().readTree(json);
    }
    List<String> operators = ProtoReader.parse(onnx).message(OnnxProto.Model.GRAPH).messages(OnnxProto.Graph.NODE)
        .stream().map(node -> node.string(OnnxProto.Node.OP_TYPE, "")).toList();
    assertTrue(operators.contains("BatchNormalization"), "PyTorch's graph: " + operators);
    OnnxImport.Imported imported = OnnxImport.read(onnx);
    assertEquals("conv(8,5) relu maxpool(2) conv(16,5) relu maxpool(2) flatten dense(64) relu dense(10)",
        imported.network().spec().toString());
    LabeledSamples test = BuiltInSample.test();
    assertEquals(figures.path("test_images").asInt(), test.size());
    float[] logits = engineLogits(imported.network(), test.features(), test.size());
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      int best = 0;
      for (int j = 1; j < 10; j++) {
        best = logits[i * 10 + j] > logits[i * 10 + best] ? j : best;
      }
      correct += best == test.label(i) ? 1 : 0;
    }
    double accuracy = (double) correct / test.size();
    double pytorch = figures.path("test_accuracy").asDouble();
    System.out.printf("PyTorch's graph %s; test accuracy on %d images: engine %.4f, PyTorch %.4f%n", operators,
        test.size(), accuracy, pytorch);
    assertEquals(pytorch, accuracy, 0.001, "engine " + accuracy + ", PyTorch " + pytorch);
    JsonNode first = figures.path("first_test_logits");
    for (int i = 0; i < first.size(); i++) {
      for (int j = 0; j < 10; j++) {
        assertEquals(first.path(i).path(j).asDouble(), logits[i * 10 + j], 1e-4, "image " + i + ", class " + j);
      }
    }
    int count = 200;
    float[] runtime = runtimeOutput(onnx, "image", new long[] {count, 1, 28, 28}, test.features(), "logits");
    double worst = largestDifference(runtime, java.util.Arrays.copyOf(logits, count * 10));
    System.out.printf("largest logit difference from ONNX Runtime on %d images: %.2g%n", count, worst);
    assertTrue(worst < 1e-4, "largest difference from ONNX Runtime " + worst);
  }
}
