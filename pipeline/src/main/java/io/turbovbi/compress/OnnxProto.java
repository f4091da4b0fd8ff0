package io.turbovbi.compress;

/**
 * The field numbers and enumeration values of onnx.proto (the ONNX specification's protocol-buffers schema, proto2)
 * for the messages a network of this engine's operators uses, named as the schema names them; the ONNX writer and
 * reader use only these.
 */
final class OnnxProto {
  private OnnxProto() {}

  /** ModelProto: the file. */
  static final class Model {
    static final int IR_VERSION = 1;
    static final int PRODUCER_NAME = 2;
    static final int PRODUCER_VERSION = 3;
    static final int GRAPH = 7;
    static final int OPSET_IMPORT = 8;
    static final int METADATA_PROPS = 14;

    private Model() {}
  }

  /** OperatorSetIdProto: an operator set the model uses. */
  static final class OperatorSetId {
    static final int DOMAIN = 1;
    static final int VERSION = 2;

    private OperatorSetId() {}
  }

  /** StringStringEntryProto: one key and value of a metadata map. */
  static final class StringStringEntry {
    static final int KEY = 1;
    static final int VALUE = 2;

    private StringStringEntry() {}
  }

  /** GraphProto: nodes in topological order, constant tensors, inputs and outputs. */
  static final class Graph {
    static final int NODE = 1;
    static final int NAME = 2;
    static final int INITIALIZER = 5;
    static final int INPUT = 11;
    static final int OUTPUT = 12;
    static final int SPARSE_INITIALIZER = 15;

    private Graph() {}
  }

  /** NodeProto: one operator application. */
  static final class Node {
    static final int INPUT = 1;
    static final int OUTPUT = 2;
    static final int NAME = 3;
    static final int OP_TYPE = 4;
    static final int ATTRIBUTE = 5;
    static final int DOMAIN = 7;

    private Node() {}
  }

  /** AttributeProto: a named attribute of a node, and the enumeration AttributeType of its {@code type} field. */
  static final class Attribute {
    static final int NAME = 1;
    static final int F = 2;
    static final int I = 3;
    static final int S = 4;
    static final int T = 5;
    static final int FLOATS = 7;
    static final int INTS = 8;
    static final int TYPE = 20;

    static final int TYPE_FLOAT = 1;
    static final int TYPE_INT = 2;
    static final int TYPE_STRING = 3;
    static final int TYPE_TENSOR = 4;
    static final int TYPE_FLOATS = 6;
    static final int TYPE_INTS = 7;

    private Attribute() {}
  }

  /** TensorProto, and the enumeration DataType of its {@code data_type} field. */
  static final class Tensor {
    static final int DIMS = 1;
    static final int DATA_TYPE = 2;
    static final int FLOAT_DATA = 4;
    static final int INT32_DATA = 5;
    static final int INT64_DATA = 7;
    static final int NAME = 8;
    static final int RAW_DATA = 9;
    static final int DOUBLE_DATA = 10;
    static final int DATA_LOCATION = 14;

    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;
    /** DataLocation EXTERNAL: the values are in another file. */
    static final int LOCATION_EXTERNAL = 1;

    private Tensor() {}
  }

  /** ValueInfoProto: the name and type of a graph input or output. */
  static final class ValueInfo {
    static final int NAME = 1;
    static final int TYPE = 2;

    private ValueInfo() {}
  }

  /** TypeProto and its nested Tensor, TensorShapeProto and TensorShapeProto.Dimension. */
  static final class Type {
    static final int TENSOR_TYPE = 1;
    static final int TENSOR_ELEM_TYPE = 1;
    static final int TENSOR_SHAPE = 2;
    static final int SHAPE_DIM = 1;
    static final int DIM_VALUE = 1;
    static final int DIM_PARAM = 2;

    private Type() {}
  }
}
