package io.turbovbi.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The compression as an Estimator in a Spark ML Pipeline. */
class TurboVbiCompressorTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("estimator-test").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> frame(LabeledSamples samples) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      float[] row = samples.row(i);
      double[] values = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        values[j] = row[j];
      }
      rows.add(RowFactory.create(Vectors.dense(values), (double) samples.label(i)));
    }
    return spark.createDataFrame(rows, new StructType().add("image", new VectorUDT())
        .add("label", DataTypes.DoubleType));
  }

  @Test
  void aPipelineWithTheCompressorFitsAndPredicts() {
    TurboVbiCompressor compressor = new TurboVbiCompressor().setParam("network", "dense(32) relu dense(10)")
        .setParam("featuresCol", "image").setParam("iterations", 2).setParam("warmUpEpochs", 2)
        .setParam("fineTuneEpochs", 1).setParam("validationSize", 300).setParam("bbar", 1e-5);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {compressor});
    PipelineModel fitted = pipeline.fit(frame(BuiltInSample.train().head(3000)));
    CompressedNetworkModel model = (CompressedNetworkModel) fitted.stages()[0];
    assertEquals("image", model.getFeaturesCol());
    assertTrue(model.data().provenance().get("params").contains("iterations: T_max"), model.data().provenance()
        .toString());
    Dataset<Row> predicted = fitted.transform(frame(BuiltInSample.test()));
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
    assertTrue(accuracy > 0.7, "test accuracy " + accuracy);
    long nonZeros = ModelFormat.nonZeros(model.data().params());
    assertTrue(nonZeros < model.data().params().length / 2, nonZeros + " non-zero parameters");
  }

  @Test
  void badParamsFailWhenSet() {
    TurboVbiCompressor compressor = new TurboVbiCompressor();
    assertThrows(IllegalArgumentException.class, () -> compressor.setParam("p01", 1.5));
    assertThrows(IllegalArgumentException.class, () -> compressor.setParam("network", "dense(3) tanh"));
    assertThrows(IllegalArgumentException.class, () -> compressor.setParam("imageShape", "28x28"));
    assertThrows(IllegalArgumentException.class, () -> compressor.setParam("method", "lottery"));
    assertThrows(java.util.NoSuchElementException.class, () -> compressor.setParam("nosuch", 1));
  }

  @Test
  void aMissingFeaturesColumnIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TurboVbiCompressor().transformSchema(new StructType().add("x", DataTypes.DoubleType)));
    assertTrue(e.getMessage().contains("no column 'features'"), e.getMessage());
  }
}
