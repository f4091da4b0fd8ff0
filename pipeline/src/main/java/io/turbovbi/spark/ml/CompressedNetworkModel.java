package io.turbovbi.spark.ml;

import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A compressed network as a Spark ML classification model: a DataFrame with a vector column {@code features} in,
 * {@code rawPrediction}, {@code probability} and {@code prediction} out, so Spark's evaluators and pipelines work
 * on it. It carries the {@link TurboVbiParams} it was made with. Saved and loaded with {@link #write()} and
 * {@link #read()} (see {@link ModelFormat}) to local paths or hdfs://, alone or inside a saved PipelineModel.
 */
public final class CompressedNetworkModel extends ProbabilisticClassificationModel<Vector, CompressedNetworkModel>
    implements TurboVbiParams, MLWritable {
  private static final long serialVersionUID = 1L;

  /** Set inside the superclass constructor, where Spark's params first ask for it, and again after it. */
  private String uid;
  private final ModelData data;
  private transient ThreadLocal<GradientEngine> engines;

  /**
   * What the model computes: a deterministic network and its parameters, and how it was made.
   *
   * @param provenance free-form facts about the run that made it (method, compression, data, time)
   */
  public record ModelData(String description, int channels, int height, int width, int classes, float[] params,
                          java.util.Map<String, String> provenance) implements java.io.Serializable {
    public Network network() {
      return NetworkSpec.parse(description).build(channels, height, width, classes, LayerFactory.DETERMINISTIC);
    }
  }

  /**
   * A model of a deterministic network; {@code provenance} says how it was made. Its input contract (image shape,
   * classes) is set from the network.
   */
  public static CompressedNetworkModel of(MeanNetwork network, java.util.Map<String, String> provenance) {
    Network net = network.network();
    CompressedNetworkModel model = new CompressedNetworkModel(Identifiable$.MODULE$.randomUID("turbovbi"),
        new ModelData(network.spec().toString(), net.channels(), net.height(), net.width(), net.classes(),
            network.params().clone(), java.util.Map.copyOf(provenance)));
    model.set(model.imageShape(), net.channels() + "x" + net.height() + "x" + net.width());
    model.set(model.classes(), net.classes());
    return model;
  }

  /** The model of {@code data}, with every param at its default; Spark's readers and copies create it so. */
  public CompressedNetworkModel(String uid, ModelData data) {
    this(ConstructionUid.announce(uid), data);
  }

  /** Runs once {@link ConstructionUid#announce} has made the uid known to Spark's params. */
  private CompressedNetworkModel(ConstructionUid pending, ModelData data) {
    super();
    this.uid = pending.done();
    this.data = data;
    if (data.network().parameterCount() != data.params().length) {
      throw new IllegalArgumentException("the model's network has " + data.network().parameterCount()
          + " parameters but " + data.params().length + " were given");
    }
    setTurboVbiDefaults();
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = ConstructionUid.pending();
    }
    return uid;
  }

  public ModelData data() {
    return data;
  }

  @Override
  public int numClasses() {
    return data.classes();
  }

  @Override
  public int numFeatures() {
    return data.channels() * data.height() * data.width();
  }

  /**
   * Records the settings the model was made with: every param explicitly set on {@code settings} (e.g. the compress
   * job's configuration as params), except the input contract, which the model's network decides.
   */
  public CompressedNetworkModel withSettingsOf(TurboVbiParams settings) {
    for (org.apache.spark.ml.param.Param<?> param : settings.params()) {
      boolean contract = param.name().equals(imageShape().name()) || param.name().equals(classes().name());
      if (settings.isSet(param) && hasParam(param.name()) && !contract) {
        set(getParam(param.name()), settings.getOrDefault(param));
      }
    }
    return this;
  }

  public CompressedNetworkModel setInputScaling(String value) {
    set(inputScaling(), value);
    return this;
  }

  public CompressedNetworkModel setClassLabels(String... labels) {
    if (labels.length != 0 && labels.length != data.classes()) {
      throw new IllegalArgumentException(labels.length + " class labels for " + data.classes() + " classes");
    }
    set(classLabels(), labels);
    return this;
  }

  /**
   * The input contract as ONNX metadata_props: the input shape, the scaling of raw inputs and the class labels, so
   * that the ONNX file says what it expects.
   */
  public java.util.Map<String, String> onnxMetadata() {
    java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
    metadata.put(io.turbovbi.compress.OnnxImport.INPUT_SHAPE_KEY, data.channels() + "x" + data.height() + "x"
        + data.width());
    metadata.put("turbovbi.input_scaling", getInputScaling());
    metadata.put("turbovbi.class_labels", String.join(",", labels()));
    return metadata;
  }

  /** The class labels, or 0, 1, ... when none are set. */
  private String[] labels() {
    String[] labels = getClassLabels();
    if (labels.length == data.classes()) {
      return labels;
    }
    String[] numbers = new String[data.classes()];
    java.util.Arrays.setAll(numbers, Integer::toString);
    return numbers;
  }

  /**
   * Checks that the params describe the network the model holds: the image shape and classes of its input contract,
   * and one label per class (or none).
   *
   * @throws IllegalArgumentException naming what disagrees
   */
  void checkInputContract() {
    String shape = data.channels() + "x" + data.height() + "x" + data.width();
    if (!getImageShape().toString().equals(shape) || getClasses() != data.classes()
        || getClassLabels().length != 0 && getClassLabels().length != data.classes()) {
      throw new IllegalArgumentException("the model's input contract (imageShape " + getImageShape() + ", classes "
          + getClasses() + ", " + getClassLabels().length + " class labels) does not match its network, which takes "
          + shape + " and gives " + data.classes() + " classes");
    }
  }

  /** Checks the features column before any row is read: a vector whose size, when the column records it, fits. */
  @Override
  public org.apache.spark.sql.types.StructType transformSchema(org.apache.spark.sql.types.StructType schema) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(getFeaturesCol())) {
      throw new IllegalArgumentException("the input has no column '" + getFeaturesCol() + "'; it has "
          + String.join(", ", schema.fieldNames()));
    }
    int size = org.apache.spark.ml.attribute.AttributeGroup.fromStructField(schema.apply(getFeaturesCol())).size();
    if (size >= 0 && size != numFeatures()) {
      throw new IllegalArgumentException(wrongSize(size));
    }
    return super.transformSchema(schema);
  }

  private String wrongSize(int size) {
    return "column '" + getFeaturesCol() + "' holds vectors of " + size + " values, but the model expects "
        + numFeatures() + " features (images of " + data.channels() + "x" + data.height() + "x" + data.width()
        + (getInputScaling().isEmpty() ? "" : ", " + getInputScaling()) + ")";
  }

  @Override
  public Vector predictRaw(Vector features) {
    if (features.size() != numFeatures()) {
      throw new IllegalArgumentException(wrongSize(features.size()));
    }
    double[] values = features.toArray();
    float[] input = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      input[i] = (float) values[i];
    }
    float[] logits = new float[data.classes()];
    engine().predict(data.params(), input, 0, 1, logits);
    double[] raw = new double[logits.length];
    for (int j = 0; j < raw.length; j++) {
      raw[j] = logits[j];
    }
    return Vectors.dense(raw);
  }

  private GradientEngine engine() {
    ThreadLocal<GradientEngine> local = engines;
    if (local == null) {
      synchronized (this) {
        if (engines == null) {
          engines = ThreadLocal.withInitial(() -> new GradientEngine(data.network(), 1, 1));
        }
        local = engines;
      }
    }
    return local.get();
  }

  /** Softmax of the raw scores, in place. */
  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] values = ((DenseVector) rawPrediction).values();
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int j = 0; j < values.length; j++) {
      values[j] = Math.exp(values[j] - max);
      sum += values[j];
    }
    for (int j = 0; j < values.length; j++) {
      values[j] /= sum;
    }
    return rawPrediction;
  }

  /**
   * Spark's own method, declared again only because its two Scala declarations (in ClassificationModel and in
   * ProbabilisticClassificationModel) have return types that Java's invariant generics cannot reconcile.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public CompressedNetworkModel copy(ParamMap extra) {
    return copyValues(new CompressedNetworkModel(uid(), data), extra).setParent(parent());
  }

  @Override
  public String toString() {
    return "CompressedNetworkModel: uid=" + uid() + ", " + data.network().describe() + ", " + numClasses()
        + " classes, " + numFeatures() + " features, " + ModelFormat.nonZeros(data.params()) + " non-zero of "
        + data.params().length + " parameters";
  }

  @Override
  public MLWriter write() {
    return new ModelFormat.Writer(this);
  }

  public static MLReader<CompressedNetworkModel> read() {
    return new ModelFormat.Reader();
  }

  public static CompressedNetworkModel load(String path) {
    return read().load(path);
  }

  /** What a saved model computes, read without a Spark session (local paths or any Hadoop file system). */
  public static ModelData readData(org.apache.hadoop.conf.Configuration hadoop, String path) {
    return ModelFormat.read(hadoop, path).data();
  }
}
