package io.turbovbi.spark.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Where a compression writes its outputs, and what it does with an output location that already holds a run: the
 * estimator's params for {@link CompressionRun} (the model carries none of them). With an output location the run
 * writes checkpoints after every outer iteration and the result (Spark ML model, ONNX, metrics, history, report).
 */
public interface OutputParams extends Params {
  default void setOutputDefaults() {
    setDefault(outputPath(), "");
    setDefault(overwrite(), false);
    setDefault(resume(), false);
  }

  default Param<String> outputPath() {
    return new Param<>(this, "outputPath", "where the run writes its checkpoints and its result (model, model.onnx, "
        + "metrics.json, history.csv, report.html): a local path or a Hadoop file system's URI such as hdfs://... "
        + "('': no outputs, no checkpoints)");
  }

  default BooleanParam overwrite() {
    return new BooleanParam(this, "overwrite", "replace the run an output location holds (its result stays until "
        + "the new one is complete)");
  }

  default BooleanParam resume() {
    return new BooleanParam(this, "resume", "continue the run an output location holds from its newest usable "
        + "checkpoint, under the same settings (a complete run is left as it is)");
  }

  default String getOutputPath() {
    return $(outputPath());
  }

  default boolean getOverwrite() {
    return (Boolean) $(overwrite());
  }

  default boolean getResume() {
    return (Boolean) $(resume());
  }
}
