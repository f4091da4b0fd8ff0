package io.turbovbi.spark;

import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.ImageShape;
import io.turbovbi.mrf.MrfMode;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.prior.Factorisation;
import io.turbovbi.prior.GammaMixturePrior;
import io.turbovbi.turbo.IterationRecord;
import io.turbovbi.turbo.TurboSettings;
import io.turbovbi.turbo.WarmUpPrior;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole compression as a Spark ML Estimator, so that it can sit in a Pipeline: {@code fit} takes a DataFrame
 * with a vector column of features and a numeric label column, runs Turbo-VBI (or a baseline), removes dead units,
 * fine-tunes, and returns a {@link CompressedNetworkModel}. Every tunable is a Param with a validator, checked when
 * it is set.
 */
public final class TurboVbiCompressor extends Estimator<CompressedNetworkModel> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TurboVbiCompressor.class);

  private final String uid = Identifiable$.MODULE$.randomUID("turboVbiCompressor");

  private final Param<String> network = new Param<>(this, "network",
      "network: a preset (lenet300, lenet5) or a layer list", (scala.Function1<String, Object> & Serializable)
          value -> parses(() -> NetworkSpec.parse(value)));
  private final Param<String> imageShape = new Param<>(this, "imageShape",
      "shape of one sample, channels x height x width, e.g. 1x28x28", (scala.Function1<String, Object> & Serializable)
          value -> parses(() -> ImageShape.parse(value)));
  private final IntParam numClasses = new IntParam(this, "numClasses", "number of classes", ParamValidators.gtEq(2));
  private final Param<String> method = new Param<>(this, "method", "turbo, iid or magnitude",
      ParamValidators.inArray(new String[] {"turbo", "iid", "magnitude"}));
  private final Param<String> mrfMode = new Param<>(this, "mrfMode", "support prior: grid, rows or iid",
      ParamValidators.inArray(new String[] {"grid", "rows", "iid"}));
  private final DoubleParam p01 = new DoubleParam(this, "p01", "MRF chains: P(active | inactive)",
      ParamValidators.inRange(0, 1, false, false));
  private final DoubleParam p10 = new DoubleParam(this, "p10", "MRF chains: P(inactive | active)",
      ParamValidators.inRange(0, 1, false, false));
  private final DoubleParam bbar = new DoubleParam(this, "bbar", "rate of the inactive precision prior",
      ParamValidators.gt(0));
  private final IntParam iterations = new IntParam(this, "iterations", "T_max, outer Turbo-VBI iterations",
      ParamValidators.gtEq(0));
  private final IntParam warmUpEpochs = new IntParam(this, "warmUpEpochs", "w-step epochs before Module B",
      ParamValidators.gtEq(0));
  private final IntParam epochsPerIteration = new IntParam(this, "epochsPerIteration",
      "w-step epochs per outer iteration", ParamValidators.gtEq(1));
  private final IntParam fineTuneEpochs = new IntParam(this, "fineTuneEpochs", "epochs of masked fine-tuning",
      ParamValidators.gtEq(0));
  private final IntParam batchSize = new IntParam(this, "batchSize", "global mini-batch", ParamValidators.gtEq(1));
  private final DoubleParam learningRate = new DoubleParam(this, "learningRate", "Adam learning rate",
      ParamValidators.gt(0));
  private final DoubleParam magnitudeCompression = new DoubleParam(this, "magnitudeCompression",
      "magnitude baseline: all weights / kept weights", ParamValidators.gtEq(1));
  private final IntParam validationSize = new IntParam(this, "validationSize",
      "samples carved from the data for validation", ParamValidators.gtEq(1));
  private final LongParam seed = new LongParam(this, "seed", "random seed", ParamValidators.gtEq(0));
  private final Param<String> featuresCol = new Param<>(this, "featuresCol", "features column name");
  private final Param<String> labelCol = new Param<>(this, "labelCol", "label column name");

  /** Whether a value parses: the validators of text params, so that a bad value fails at set, not deep in fit. */
  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public TurboVbiCompressor() {
    setDefault(network, "lenet5");
    setDefault(imageShape, "1x28x28");
    setDefault(numClasses, 10);
    setDefault(method, "turbo");
    setDefault(mrfMode, "rows");
    setDefault(p01, 0.2);
    setDefault(p10, 0.5);
    setDefault(bbar, 1e-4);
    setDefault(iterations, 6);
    setDefault(warmUpEpochs, 2);
    setDefault(epochsPerIteration, 1);
    setDefault(fineTuneEpochs, 5);
    setDefault(batchSize, 128);
    setDefault(learningRate, 1e-3);
    setDefault(magnitudeCompression, 40.0);
    setDefault(validationSize, 1000);
    setDefault(seed, 1L);
    setDefault(featuresCol, DataFrameSamples.DEFAULT_FEATURES_COL);
    setDefault(labelCol, DataFrameSamples.DEFAULT_LABEL_COL);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> network() {
    return network;
  }

  public Param<String> imageShape() {
    return imageShape;
  }

  public IntParam numClasses() {
    return numClasses;
  }

  public Param<String> method() {
    return method;
  }

  public Param<String> mrfMode() {
    return mrfMode;
  }

  public DoubleParam p01() {
    return p01;
  }

  public DoubleParam p10() {
    return p10;
  }

  public DoubleParam bbar() {
    return bbar;
  }

  public IntParam iterations() {
    return iterations;
  }

  public IntParam warmUpEpochs() {
    return warmUpEpochs;
  }

  public IntParam epochsPerIteration() {
    return epochsPerIteration;
  }

  public IntParam fineTuneEpochs() {
    return fineTuneEpochs;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public DoubleParam learningRate() {
    return learningRate;
  }

  public DoubleParam magnitudeCompression() {
    return magnitudeCompression;
  }

  public IntParam validationSize() {
    return validationSize;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  /** Sets any of this estimator's params by name (for fluent use from Java and Python). */
  public TurboVbiCompressor setParam(String name, Object value) {
    set(getParam(name), value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains($(featuresCol))) {
      throw new IllegalArgumentException("the input has no column '" + $(featuresCol) + "'; it has "
          + String.join(", ", schema.fieldNames()));
    }
    return schema.add("rawPrediction", new VectorUDT()).add("probability", new VectorUDT())
        .add("prediction", DataTypes.DoubleType);
  }

  @Override
  public CompressedNetworkModel fit(Dataset<?> dataset) {
    ImageShape shape = ImageShape.parse($(imageShape));
    int classes = (Integer) $(numClasses);
    DataFrameSamples reader = DataFrameSamples.of(shape, classes).withFeaturesCol($(featuresCol))
        .withLabelCol($(labelCol));
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    SampleSource source = SampleSource.of(dataset.toDF(), reader, "the training DataFrame",
        spark.defaultParallelism());
    int validationSamples = (Integer) $(validationSize);
    if (validationSamples >= source.count()) {
      throw new IllegalArgumentException("validationSize " + validationSamples + " leaves no training data: the "
          + "DataFrame has " + source.count() + " rows");
    }
    double heldOut = (double) validationSamples / source.count();
    ShardedData train = source.select(SampleSource.Selection.training((Long) $(seed), heldOut, 1));
    ShardedData validation = source.select(SampleSource.Selection.validation((Long) $(seed), heldOut));
    LOG.info("{}: fitting {} on {} samples ({} for validation) with {}", uid, $(network), source.count(),
        validation.size(), explainParams().replace('\n', ';'));
    Network plain = NetworkSpec.parse($(network)).build(shape.channels(), shape.height(), shape.width(), classes,
        LayerFactory.DETERMINISTIC);
    int layers = plain.weightLayers().length;
    MrfParams mrf = MrfParams.of(MrfMode.of($(mrfMode)), (Double) $(p01), (Double) $(p10));
    TurboSettings turbo = new TurboSettings(Factorisation.DEFAULT,
        Collections.nCopies(layers, new GammaMixturePrior(1, 1, 1, (Double) $(bbar))),
        Collections.nCopies(layers, mrf), WarmUpPrior.ACTIVE, (Integer) $(warmUpEpochs),
        (Integer) $(epochsPerIteration), (Integer) $(iterations), 0, 0);
    OptimizerSettings adam = new OptimizerSettings("adam", (Double) $(learningRate), (Double) $(learningRate), 0);
    CompressionPipeline.Settings settings = new CompressionPipeline.Settings(
        CompressionPipeline.Method.valueOf($(method).toUpperCase(Locale.ROOT)), $(network), shape.channels(),
        shape.height(), shape.width(), classes, -10, -8, turbo,
        new SparkTrainer.Settings(SparkTrainer.Mode.GRADIENT, (Integer) $(batchSize), 1, 1, 1), adam,
        (Integer) $(warmUpEpochs) + (Integer) $(iterations) * (Integer) $(epochsPerIteration),
        Math.max(1, Math.round(plain.weightCount() / (Double) $(magnitudeCompression))), (Integer) $(fineTuneEpochs),
        new OptimizerSettings("adam", (Double) $(learningRate) / 2, 0, 0), (Long) $(seed),
        Runtime.getRuntime().availableProcessors());
    CompressionPipeline.Result result;
    try {
      result = new CompressionPipeline(settings).run(spark, train, validation, new LogListener());
    } finally {
      train.release();
      validation.release();
    }
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("estimator", uid);
    provenance.put("params", explainParams());
    provenance.put("validation_accuracy", result.validationAccuracy().toString());
    provenance.put("created", java.time.Instant.now().toString());
    CompressedNetworkModel model = CompressedNetworkModel.of(result.fineTuned(), provenance);
    model.setFeaturesCol($(featuresCol));
    return copyValues(model.setParent(this), ParamMap.empty());
  }

  /** Progress to the log; no checkpoints (an estimator's fit is not resumed). */
  private final class LogListener implements CompressionPipeline.Listener {
    @Override
    public void phase(String name) {
      LOG.info("{}: {}", uid, name);
    }

    @Override
    public void epoch(SparkTrainer.EpochReport report) {
      LOG.info("{}: epoch {} loss {} ({} rounds, {} s)", uid, report.epoch() + 1, report.meanLoss(),
          report.rounds(), report.seconds());
    }

    @Override
    public void iteration(IterationRecord record) {
      LOG.info("{}: iteration {} compression {} validation accuracy {}", uid, record.iteration(),
          record.compression(), record.heldOutAccuracy());
    }

    @Override
    public Optional<Checkpoint> resumeFrom() {
      return Optional.empty();
    }

    @Override
    public void checkpoint(Checkpoint checkpoint) {}
  }

  @Override
  public TurboVbiCompressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
