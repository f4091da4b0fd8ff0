package io.turbovbi.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.ImageShape;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.spark.pipeline.CompressionPipeline;
import io.turbovbi.spark.train.SampleSource;
import io.turbovbi.spark.train.ShardedData;
import io.turbovbi.spark.train.SparkTrainer;
import io.turbovbi.turbo.IterationRecord;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole compression as a Spark ML classifier, so that it can sit in a Pipeline, a CrossValidator or a
 * TrainValidationSplit: {@code fit} takes a DataFrame with a vector column of features and a numeric label column,
 * runs Turbo-VBI (or a baseline), removes dead units, fine-tunes, and returns a {@link CompressedNetworkModel}. Its
 * settings are the {@link TurboVbiParams} (the compress job's settings and defaults); every one is checked when it
 * is set. With an {@code outputPath} ({@link OutputParams}) it writes what the compress job writes, checkpoints after
 * every outer iteration and resumes from them ({@link CompressionRun}, which the job runs too). Saved and loaded with
 * {@link #write()} and {@link #read()} in Spark's params layout.
 */
public final class TurboVbiCompressor
    extends ProbabilisticClassifier<Vector, TurboVbiCompressor, CompressedNetworkModel>
    implements TurboVbiParams, OutputParams, MLWritable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TurboVbiCompressor.class);
  /** Version of the saved form, checked when it is loaded. */
  static final int FORMAT_VERSION = 1;

  /** Set inside the superclass constructor, where Spark's params first ask for it, and again after it. */
  private String uid;

  public TurboVbiCompressor() {
    this(Identifiable$.MODULE$.randomUID("turboVbiCompressor"));
  }

  /** The constructor Spark's copies and readers call. */
  public TurboVbiCompressor(String uid) {
    this(ConstructionUid.announce(uid));
  }

  private TurboVbiCompressor(ConstructionUid pending) {
    super();
    this.uid = pending.done();
    setTurboVbiDefaults();
    setOutputDefaults();
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = ConstructionUid.pending();
    }
    return uid;
  }

  /** Sets any of this estimator's params by name (for fluent use from Java and Python). */
  public TurboVbiCompressor setParam(String name, Object value) {
    set(getParam(name), value);
    return this;
  }

  public TurboVbiCompressor setNetwork(String value) {
    set(network(), value);
    return this;
  }

  public TurboVbiCompressor setImageShape(String value) {
    set(imageShape(), value);
    return this;
  }

  public TurboVbiCompressor setClasses(int value) {
    set(classes(), value);
    return this;
  }

  public TurboVbiCompressor setInitialNetwork(String value) {
    set(initialNetwork(), value);
    return this;
  }

  public TurboVbiCompressor setInputScaling(String value) {
    set(inputScaling(), value);
    return this;
  }

  public TurboVbiCompressor setClassLabels(String... labels) {
    set(classLabels(), labels);
    return this;
  }

  public TurboVbiCompressor setMethod(String value) {
    set(method(), value);
    return this;
  }

  public TurboVbiCompressor setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public TurboVbiCompressor setValidationSize(int value) {
    set(validationSize(), value);
    return this;
  }

  public TurboVbiCompressor setTargetCompression(double value) {
    set(targetCompression(), value);
    return this;
  }

  public TurboVbiCompressor setTargetFlops(double value) {
    set(targetFlops(), value);
    return this;
  }

  public TurboVbiCompressor setControl(String value) {
    set(control(), value);
    return this;
  }

  public TurboVbiCompressor setRamp(int value) {
    set(ramp(), value);
    return this;
  }

  public TurboVbiCompressor setHold(int value) {
    set(hold(), value);
    return this;
  }

  public TurboVbiCompressor setWarmUpEpochs(int value) {
    set(warmUpEpochs(), value);
    return this;
  }

  public TurboVbiCompressor setEpochsPerIteration(int value) {
    set(epochsPerIteration(), value);
    return this;
  }

  public TurboVbiCompressor setFineTuneEpochs(int value) {
    set(fineTuneEpochs(), value);
    return this;
  }

  public TurboVbiCompressor setBatchSize(int value) {
    set(batchSize(), value);
    return this;
  }

  public TurboVbiCompressor setLearningRate(double value) {
    set(learningRate(), value);
    return this;
  }

  public TurboVbiCompressor setMrfMode(String value) {
    set(mrfMode(), value);
    return this;
  }

  public TurboVbiCompressor setPriorBbar(double... values) {
    set(priorBbar(), values);
    return this;
  }

  public TurboVbiCompressor setOutputPath(String value) {
    set(outputPath(), value);
    return this;
  }

  public TurboVbiCompressor setOverwrite(boolean value) {
    set(overwrite(), value);
    return this;
  }

  public TurboVbiCompressor setResume(boolean value) {
    set(resume(), value);
    return this;
  }

  /** Names a missing features or label column before Spark's own check, which only says it is missing. */
  @Override
  public StructType transformSchema(StructType schema) {
    for (Param<String> column : java.util.List.of(featuresCol(), labelCol())) {
      if (!Arrays.asList(schema.fieldNames()).contains($(column))) {
        throw new IllegalArgumentException("the input has no column '" + $(column) + "'; it has "
            + String.join(", ", schema.fieldNames()));
      }
    }
    return super.transformSchema(schema);
  }

  /**
   * Compresses the DataFrame's samples: the settings are checked first, then the output location is locked, the
   * data are read and checked, and only then is the location prepared and written.
   */
  @Override
  public CompressedNetworkModel train(Dataset<?> dataset) {
    SparkSession session = dataset.sparkSession();
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
    StartingNetwork start = StartingNetwork.of(this, spark.hadoopConfiguration());
    ImageShape shape = start.shape();
    Network plain = NetworkSpec.parse(start.description()).build(shape.channels(), shape.height(), shape.width(),
        start.classes(), LayerFactory.DETERMINISTIC);
    CompressionPipeline.Settings settings = CompressionSettings.of(this, start.description(), plain);
    try (CompressionRun run = CompressionRun.open(this, "TurboVbiCompressor " + uid(), spark.hadoopConfiguration(),
        CompressionRun.PARAM_NAMES, new LogProgress())) {
      DataFrameSamples reader = DataFrameSamples.of(shape, start.classes()).withFeaturesCol($(featuresCol()))
          .withLabelCol($(labelCol()));
      int partitions = intValue(partitions()) > 0 ? intValue(partitions()) : spark.defaultParallelism();
      SampleSource source = SampleSource.of(dataset.toDF(), reader, "the training DataFrame", partitions);
      int validationSamples = intValue(validationSize());
      if (validationSamples >= source.count()) {
        throw new IllegalArgumentException("validationSize " + validationSamples + " leaves no training data: the "
            + "DataFrame has " + source.count() + " rows");
      }
      double heldOut = (double) validationSamples / source.count();
      ShardedData train = source.select(SampleSource.Selection.training(getSeed(), heldOut, 1));
      ShardedData validation = source.select(SampleSource.Selection.validation(getSeed(), heldOut));
      try {
        run.prepare();
        if (run.complete()) {
          LOG.info("{}: the run in {} is already complete; its model is returned", uid(), run.location());
          return CompressedNetworkModel.read().session(session).load(run.modelLocation());
        }
        LOG.info("{}: fitting {} on {} samples ({} for validation){} with {}", uid(), plain.describe(),
            source.count(), validation.size(), run.location() == null ? "" : ", writing to " + run.location(),
            explainParams().replace('\n', ';'));
        return run.run(session, settings, start.params(), new CompressionRun.Data(train, validation, null,
            partitions), CompressionRun.Record.none()).model();
      } finally {
        train.release();
        validation.release();
      }
    }
  }

  /** Progress to the log. */
  private final class LogProgress implements CompressionRun.Progress {
    @Override
    public void notice(String message) {
      LOG.info("{}: {}", uid(), message);
    }

    @Override
    public void warning(String message) {
      LOG.warn("{}: {}", uid(), message);
    }

    @Override
    public void phase(String name) {
      LOG.info("{}: {}", uid(), name);
    }

    @Override
    public void epoch(SparkTrainer.EpochReport report) {
      LOG.info("{}: epoch {} loss {} ({} rounds, {} s)", uid(), report.epoch() + 1, report.meanLoss(),
          report.rounds(), report.seconds());
    }

    @Override
    public void iteration(IterationRecord record) {
      LOG.info("{}: iteration {} compression {} validation accuracy {}", uid(), record.iteration(),
          record.compression(), record.heldOutAccuracy());
    }
  }

  @Override
  public TurboVbiCompressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<TurboVbiCompressor> read() {
    return new Reader();
  }

  /** Spark's metadata/ with every param and this form's version; an estimator has no data. */
  private static final class Writer extends MLWriter {
    private final TurboVbiCompressor compressor;

    Writer(TurboVbiCompressor compressor) {
      this.compressor = compressor;
    }

    @Override
    public void saveImpl(String path) {
      ParamsMetadata.write(compressor, path, sparkSession(), FORMAT_VERSION, JsonNodeFactory.instance.objectNode());
    }
  }

  private static final class Reader extends MLReader<TurboVbiCompressor> {
    @Override
    public TurboVbiCompressor load(String path) {
      JsonNode metadata = ParamsMetadata.read(sc().hadoopConfiguration(), path, TurboVbiCompressor.class,
          FORMAT_VERSION);
      TurboVbiCompressor compressor = new TurboVbiCompressor(metadata.path("uid").asText());
      ParamsMetadata.setParams(compressor, metadata);
      return compressor;
    }
  }

  public static TurboVbiCompressor load(String path) {
    return read().load(path);
  }
}
