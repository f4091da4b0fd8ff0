package io.turbovbi.spark;

import io.turbovbi.data.ImageShape;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.nn.NetworkSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.Function1;

/**
 * The settings of a compression as Spark ML params, defined once here and shared by the estimator
 * ({@link TurboVbiCompressor}) and its model ({@link CompressedNetworkModel}); the defaults are the compress job's.
 * Every param has a name, a one-line doc and a validator, so that a bad value fails when it is set.
 *
 * <p>Spark's params are equal when their owner's uid and their name are equal, and their values live in the owner's
 * param map: so each accessor below builds its param afresh and no state is kept here. A per-layer param holds one
 * value for every weight layer, or one value per weight layer (checked against the network at fit).
 */
public interface TurboVbiParams extends Params {
  /** Sets every param's default; each implementing class calls it once in its constructor. */
  default void setTurboVbiDefaults() {
    setDefault(network(), "lenet5");
    setDefault(imageShape(), "1x28x28");
    setDefault(classes(), 10);
    setDefault(initialNetwork(), "");
    setDefault(inputScaling(), "");
    setDefault(classLabels(), new String[0]);
    setDefault(validationSize(), 1000);
    setDefault(seed(), 1L);
    setDefault(threads(), 0);
    setDefault(method(), "turbo");
    setDefault(batchSize(), 128);
    setDefault(optimizer(), "adam");
    setDefault(learningRate(), 1e-3);
    setDefault(momentum(), 0.9);
    setDefault(logVarInit(), -10.0);
    setDefault(logVarCap(), -8.0);
    setDefault(logVarLearningRate(), 1e-3);
    setDefault(factorisation(), "collapsed");
    setDefault(warmUpPrior(), "active");
    setDefault(warmUpEpochs(), 2);
    setDefault(warmUpPatience(), 0);
    setDefault(epochsPerIteration(), 1);
    setDefault(control(), "target");
    setDefault(targetCompression(), 0.0);
    setDefault(targetFlops(), 0.0);
    setDefault(ramp(), 16);
    setDefault(hold(), 4);
    setDefault(schedule(), "cubic");
    setDefault(guard(), 0.0);
    setDefault(iterations(), 6);
    setDefault(tolerance(), 0.0);
    setDefault(priorA(), new double[] {1});
    setDefault(priorB(), new double[] {1});
    setDefault(priorAbar(), new double[] {1});
    setDefault(priorBbar(), new double[] {1e-4});
    setDefault(mrfMode(), "rows");
    setDefault(rowP01(), new double[] {0.25});
    setDefault(rowP10(), new double[] {0.625});
    setDefault(colP01(), new double[] {0.25});
    setDefault(colP10(), new double[] {0.625});
    setDefault(mrfCouplingOverride(), false);
    setDefault(gatePrior(), new double[] {MrfParams.DEFAULT_GATE_ALIVE});
    setDefault(gateLeak(), new double[] {MrfParams.DEFAULT_GATE_LEAK});
    setDefault(mrfDamping(), 0.5);
    setDefault(mrfSweeps(), 100);
    setDefault(mrfTolerance(), 1e-4);
    setDefault(mrfSchedule(), "flooding");
    setDefault(fineTuneEpochs(), 5);
    setDefault(fineTuneLearningRate(), 5e-4);
    setDefault(magnitudeEpochs(), 8);
    setDefault(magnitudeCompression(), 40.0);
    setDefault(partitions(), 0);
    setDefault(trainingMode(), "gradient");
    setDefault(localSteps(), 8);
    setDefault(aggregationDepth(), 0);
    setDefault(taskThreads(), 1);
  }

  // The network and its data.

  default Param<String> network() {
    return new Param<>(this, "network", "network: a preset (lenet300, lenet5) or a layer list such as "
        + "'conv(20,5) relu maxpool(2) flatten dense(10)'", valid(value -> parses(() -> NetworkSpec.parse(value))));
  }

  default Param<String> imageShape() {
    return new Param<>(this, "imageShape", "shape of one sample, channels x height x width, e.g. 1x28x28",
        valid(value -> parses(() -> ImageShape.parse(value))));
  }

  default IntParam classes() {
    return new IntParam(this, "classes", "number of classes", ParamValidators.gtEq(2));
  }

  default Param<String> inputScaling() {
    return new Param<>(this, "inputScaling", "how raw inputs become the features, e.g. 'pixel / 255': part of the "
        + "input contract saved with the model and its ONNX file, not applied by it ('': features as given)",
        valid(value -> true));
  }

  default StringArrayParam classLabels() {
    return new StringArrayParam(this, "classLabels", "the name of each class, in label order (empty: the labels "
        + "0, 1, ...)", valid(labels -> Arrays.stream(labels).noneMatch(String::isBlank)));
  }

  default Param<String> initialNetwork() {
    return new Param<>(this, "initialNetwork", "a trained network to start from: path (local or hdfs://) of an "
        + "ONNX file whose graph gives the network and whose weights the means ('': the network param, initialised "
        + "at random)", valid(value -> true));
  }

  default IntParam validationSize() {
    return new IntParam(this, "validationSize", "samples carved from the data (seeded shuffle) for validation",
        ParamValidators.gtEq(1));
  }

  default LongParam seed() {
    return new LongParam(this, "seed", "seed of every random choice of the run", ParamValidators.gtEq(0));
  }

  default IntParam threads() {
    return new IntParam(this, "threads", "threads of the driver's updates and evaluations (0: one per core)",
        ParamValidators.inRange(0, 1024));
  }

  default Param<String> method() {
    return new Param<>(this, "method", "turbo (Turbo-VBI with the MRF prior), iid (Turbo-VBI with Module B off) or "
        + "magnitude (train the dense net, keep the largest |w|)", choice("turbo", "iid", "magnitude"));
  }

  // The w-step's training.

  default IntParam batchSize() {
    return new IntParam(this, "batchSize", "global mini-batch (gradient mode) or local mini-batch (average mode)",
        ParamValidators.gtEq(1));
  }

  default Param<String> optimizer() {
    return new Param<>(this, "optimizer", "optimiser: adam or sgd", choice("adam", "sgd"));
  }

  default DoubleParam learningRate() {
    return new DoubleParam(this, "learningRate", "learning rate of weights and biases", ParamValidators.gt(0));
  }

  default DoubleParam momentum() {
    return new DoubleParam(this, "momentum", "momentum of sgd", ParamValidators.inRange(0, 1, true, false));
  }

  default DoubleParam logVarInit() {
    return new DoubleParam(this, "logVarInit", "initial log-variance of every weight's posterior",
        finite());
  }

  default DoubleParam logVarCap() {
    return new DoubleParam(this, "logVarCap",
        "upper cap on log-variances (without it sigma^2 grows and nothing is pruned)", finite());
  }

  default DoubleParam logVarLearningRate() {
    return new DoubleParam(this, "logVarLearningRate", "learning rate of the log-variances",
        ParamValidators.gtEq(0));
  }

  // The Turbo-VBI loop and the compression control.

  default Param<String> factorisation() {
    return new Param<>(this, "factorisation", "Module A: collapsed q(rho | s) or the mean-field form (ablation)",
        choice("collapsed", "meanfield"));
  }

  default Param<String> warmUpPrior() {
    return new Param<>(this, "warmUpPrior", "precision of the warm-up w-step: active (a/b) or mixture",
        choice("active", "mixture"));
  }

  default IntParam warmUpEpochs() {
    return new IntParam(this, "warmUpEpochs", "w-step epochs before the first Module B call (with a patience: the "
        + "most)", ParamValidators.gtEq(0));
  }

  default IntParam warmUpPatience() {
    return new IntParam(this, "warmUpPatience", "end the warm-up once the validation accuracy has not improved for "
        + "this many epochs (0: exactly warmUpEpochs)", ParamValidators.gtEq(0));
  }

  default IntParam epochsPerIteration() {
    return new IntParam(this, "epochsPerIteration", "w-step epochs per outer iteration", ParamValidators.gtEq(1));
  }

  default Param<String> control() {
    return new Param<>(this, "control", "target: a controller steers the size after unit removal to the target "
        + "along the schedule (ramp, hold); free: the prior alone decides (ablation)", choice("target", "free"));
  }

  default DoubleParam targetCompression() {
    return new DoubleParam(this, "targetCompression", "all weights / weights left after unit removal (free: stop "
        + "once reached; 0: none)", ParamValidators.gtEq(0));
  }

  default DoubleParam targetFlops() {
    return new DoubleParam(this, "targetFlops", "FLOPs per sample of the network left after unit removal (0: none; "
        + "give this or targetCompression)", ParamValidators.gtEq(0));
  }

  default IntParam ramp() {
    return new IntParam(this, "ramp", "target: outer iterations from the whole network to the target",
        ParamValidators.gtEq(1));
  }

  default IntParam hold() {
    return new IntParam(this, "hold", "target: outer iterations at the target before the final mask",
        ParamValidators.gtEq(0));
  }

  default Param<String> schedule() {
    return new Param<>(this, "schedule", "target: the kept share along the ramp, cubic or geometric",
        choice("cubic", "geometric"));
  }

  default DoubleParam guard() {
    return new DoubleParam(this, "guard", "target: stop ramping once the masked network's validation accuracy falls "
        + "more than this many points below the warm-up's (0: no guard)", ParamValidators.inRange(0, 100, true,
        false));
  }

  default IntParam iterations() {
    return new IntParam(this, "iterations", "free: T_max, the most outer iterations", ParamValidators.gtEq(0));
  }

  default DoubleParam tolerance() {
    return new DoubleParam(this, "tolerance", "free: stop when the relative changes of pit and mu both fall below "
        + "this (0: never)", ParamValidators.gtEq(0));
  }

  // The prior, per weight layer.

  default DoubleArrayParam priorA() {
    return new DoubleArrayParam(this, "priorA", "shape a of the active precision prior Ga(a, b), per layer",
        perLayer(0, Double.POSITIVE_INFINITY));
  }

  default DoubleArrayParam priorB() {
    return new DoubleArrayParam(this, "priorB", "rate b of the active precision prior, per layer",
        perLayer(0, Double.POSITIVE_INFINITY));
  }

  default DoubleArrayParam priorAbar() {
    return new DoubleArrayParam(this, "priorAbar", "shape abar of the inactive precision prior Ga(abar, bbar), per "
        + "layer", perLayer(0, Double.POSITIVE_INFINITY));
  }

  default DoubleArrayParam priorBbar() {
    return new DoubleArrayParam(this, "priorBbar", "rate bbar of the inactive precision prior, per layer (smaller: "
        + "weights must be larger to stay active)", perLayer(0, Double.POSITIVE_INFINITY));
  }

  default Param<String> mrfMode() {
    return new Param<>(this, "mrfMode", "support prior: graph, grid, rows or iid; or one per weight layer "
        + "separated by commas", valid(value -> !value.isBlank() && Arrays.stream(value.split(",")).map(String::trim)
        .allMatch(List.of("graph", "grid", "rows", "iid")::contains)));
  }

  default DoubleArrayParam rowP01() {
    return new DoubleArrayParam(this, "rowP01", "row chains: P(next active | inactive), per layer", perLayer(0, 1));
  }

  default DoubleArrayParam rowP10() {
    return new DoubleArrayParam(this, "rowP10", "row chains: P(next inactive | active), per layer", perLayer(0, 1));
  }

  default DoubleArrayParam colP01() {
    return new DoubleArrayParam(this, "colP01", "column chains (grid mode): P(1 | 0), per layer", perLayer(0, 1));
  }

  default DoubleArrayParam colP10() {
    return new DoubleArrayParam(this, "colP10", "column chains (grid mode): P(0 | 1), per layer", perLayer(0, 1));
  }

  default BooleanParam mrfCouplingOverride() {
    return new BooleanParam(this, "mrfCouplingOverride", "run grid or graph mode at or above loopy BP's critical "
        + "coupling (refused otherwise), with a warning");
  }

  default DoubleArrayParam gatePrior() {
    return new DoubleArrayParam(this, "gatePrior", "graph mode: prior P(alive) of the layer's unit, kernel, filter "
        + "and channel variables, per layer", perLayer(0, 1));
  }

  default DoubleArrayParam gateLeak() {
    return new DoubleArrayParam(this, "gateLeak", "graph mode: how much less likely an active weight is under a "
        + "dead gate (1: gates have no effect), per layer", perLayerUpTo(0, 1));
  }

  default DoubleParam mrfDamping() {
    return new DoubleParam(this, "mrfDamping", "loopy BP damping: the share of the old message kept",
        ParamValidators.inRange(0, 1, true, false));
  }

  default IntParam mrfSweeps() {
    return new IntParam(this, "mrfSweeps", "loopy BP: most sweeps per Module B call", ParamValidators.gtEq(1));
  }

  default DoubleParam mrfTolerance() {
    return new DoubleParam(this, "mrfTolerance", "loopy BP: stop when no message changes by more than this",
        ParamValidators.gt(0));
  }

  default Param<String> mrfSchedule() {
    return new Param<>(this, "mrfSchedule", "loopy BP schedule: flooding or sequential",
        choice("flooding", "sequential"));
  }

  // After the mask: fine-tuning, and the magnitude baseline.

  default IntParam fineTuneEpochs() {
    return new IntParam(this, "fineTuneEpochs", "epochs of masked fine-tuning of the pruned network (0: none)",
        ParamValidators.gtEq(0));
  }

  default DoubleParam fineTuneLearningRate() {
    return new DoubleParam(this, "fineTuneLearningRate", "learning rate of the fine-tuning", ParamValidators.gt(0));
  }

  default IntParam magnitudeEpochs() {
    return new IntParam(this, "magnitudeEpochs", "magnitude baseline with control=free: epochs of dense training "
        + "before one-shot pruning", ParamValidators.gtEq(1));
  }

  default DoubleParam magnitudeCompression() {
    return new DoubleParam(this, "magnitudeCompression", "magnitude baseline with control=free: all weights / kept "
        + "weights", ParamValidators.gtEq(1));
  }

  // How the w-step runs on the cluster.

  default IntParam partitions() {
    return new IntParam(this, "partitions", "partitions (shards) of the training data (0: Spark's default "
        + "parallelism)", ParamValidators.gtEq(0));
  }

  default Param<String> trainingMode() {
    return new Param<>(this, "trainingMode", "distributed w-step: gradient (partitions sum the gradient of each "
        + "global batch) or average (local steps, then parameters averaged)", choice("gradient", "average"));
  }

  default IntParam localSteps() {
    return new IntParam(this, "localSteps", "average mode: local optimiser steps per round", ParamValidators.gtEq(1));
  }

  default IntParam aggregationDepth() {
    return new IntParam(this, "aggregationDepth", "depth of the tree aggregation of round results (0: from the "
        + "partition count)", ParamValidators.inRange(0, 10));
  }

  default IntParam taskThreads() {
    return new IntParam(this, "taskThreads", "engine threads inside each task", ParamValidators.inRange(1, 1024));
  }

  // Typed getters.

  default String getNetwork() {
    return $(network());
  }

  default ImageShape getImageShape() {
    return ImageShape.parse($(imageShape()));
  }

  default int getClasses() {
    return (Integer) $(classes());
  }

  default String getInputScaling() {
    return $(inputScaling());
  }

  default String[] getClassLabels() {
    return $(classLabels());
  }

  default String getInitialNetwork() {
    return $(initialNetwork());
  }

  default String getMethod() {
    return $(method());
  }

  default long getSeed() {
    return (Long) $(seed());
  }

  default double getTargetCompression() {
    return (Double) $(targetCompression());
  }

  /** An int param's value (Spark keeps them boxed). */
  default int intValue(IntParam param) {
    return (Integer) $(param);
  }

  /** A double param's value. */
  default double doubleValue(DoubleParam param) {
    return (Double) $(param);
  }

  private static <T> Function1<T, Object> valid(SerializablePredicate<T> check) {
    return (Function1<T, Object> & Serializable) check::test;
  }

  private static Function1<String, Object> choice(String... allowed) {
    return ParamValidators.inArray(allowed);
  }

  private static Function1<Object, Object> finite() {
    return (Function1<Object, Object> & Serializable) value -> Double.isFinite((Double) value);
  }

  /** Each value in the open interval (low, high), at least one value. */
  private static Function1<double[], Object> perLayer(double low, double high) {
    return (Function1<double[], Object> & Serializable) values -> values.length > 0
        && Arrays.stream(values).allMatch(v -> v > low && v < high);
  }

  /** Each value in the half-open interval (low, high], at least one value. */
  private static Function1<double[], Object> perLayerUpTo(double low, double high) {
    return (Function1<double[], Object> & Serializable) values -> values.length > 0
        && Arrays.stream(values).allMatch(v -> v > low && v <= high);
  }

  /** Whether a value parses: the validators of text params, so that a bad value fails at set, not deep in fit. */
  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A check of a value that travels with its param. */
  @FunctionalInterface
  interface SerializablePredicate<T> extends Serializable {
    boolean test(T value);
  }
}
