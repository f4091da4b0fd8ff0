package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ParamKeys;
import io.turbovbi.spark.ml.CompressedNetworkModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same settings give the same compressed model through the compress job and through the estimator. */
class EstimatorMatchesJobTest {
  @TempDir
  Path temp;

  @Test
  void theEstimatorAndTheCompressJobGiveTheSameModel() throws Exception {
    Path data = temp.resolve("data");
    TestRuns.writeIdx(data);
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve("run").toString());
    settings.put("cluster.master", "local[2]");
    settings.put("cluster.partitions", "2");
    TestRuns.Outcome outcome = TestRuns.compress(settings);
    assertEquals(0, outcome.status(), outcome.out());
    CompressedNetworkModel.ModelData job = CompressedNetworkModel.readData(new Configuration(),
        temp.resolve("run/result/model").toString());

    // The same images the job read from its IDX files, as a DataFrame, and the configuration as params.
    LabeledSamples train = BuiltInSample.train().head(TestRuns.TRAIN);
    CompressedNetworkModel[] fitted = new CompressedNetworkModel[1];
    TestRuns.withLocalSpark(spark -> {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        float[] row = train.row(i);
        double[] values = new double[row.length];
        for (int j = 0; j < row.length; j++) {
          values[j] = row[j];
        }
        rows.add(RowFactory.create(Vectors.dense(values), (double) train.label(i)));
      }
      fitted[0] = ParamKeys.compressor(Config.load(null, settings)).fit(spark.createDataFrame(rows,
          new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType)));
    });
    CompressedNetworkModel.ModelData estimator = fitted[0].data();
    assertEquals(job.description(), estimator.description());
    assertEquals(job.params().length, estimator.params().length);
    double worst = TestRuns.maxDifference(job.params(), estimator.params());
    System.out.printf("estimator against job: %s, largest parameter difference %.2g%n", job.description(), worst);
    assertTrue(worst < 1e-4, "largest parameter difference " + worst);
  }
}
