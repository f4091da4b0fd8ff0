package io.turbovbi.spark;

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
 * on it. Saved and loaded with {@link #write()} and {@link #read()} (see {@link ModelFormat}) to local paths or
 * hdfs://.
 */
public final class CompressedNetworkModel
    extends ProbabilisticClassificationModel<Vector, CompressedNetworkModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  /** The uid of a model being constructed: Spark's params read uid() before this class's constructor runs. */
  private static final ThreadLocal<String> PENDING_UID = new ThreadLocal<>();

  /** Set on first use, inside the superclass constructor; deliberately without an initialiser. */
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

  /** A model of a deterministic network; {@code provenance} says how it was made. */
  public static CompressedNetworkModel of(MeanNetwork network, java.util.Map<String, String> provenance) {
    return create(Identifiable$.MODULE$.randomUID("turbovbi"), new ModelData(network.spec().toString(),
        network.network().channels(), network.network().height(), network.network().width(),
        network.network().classes(), network.params().clone(), java.util.Map.copyOf(provenance)));
  }

  /** Only through {@link #create}, which makes the uid known before Spark's params ask for it. */
  private CompressedNetworkModel(ModelData data) {
    super();
    this.data = data;
    if (data.network().parameterCount() != data.params().length) {
      throw new IllegalArgumentException("the model's network has " + data.network().parameterCount()
          + " parameters but " + data.params().length + " were given");
    }
  }

  private static CompressedNetworkModel create(String uid, ModelData data) {
    PENDING_UID.set(uid);
    try {
      return new CompressedNetworkModel(data);
    } finally {
      PENDING_UID.remove();
    }
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PENDING_UID.get();
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

  @Override
  public Vector predictRaw(Vector features) {
    if (features.size() != numFeatures()) {
      throw new IllegalArgumentException("the model expects " + numFeatures() + " features ("
          + data.channels() + "x" + data.height() + "x" + data.width() + "), got " + features.size());
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
    return copyValues(create(uid(), data), extra);
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

  static CompressedNetworkModel restore(String uid, ModelData data) {
    return create(uid, data);
  }
}
