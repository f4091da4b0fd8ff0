package io.turbovbi.spark.ml;

import io.turbovbi.data.ImageShape;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.nn.NetworkSpec;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The settings of a compression as Spark ML params, defined once here and shared by the estimator
 * ({@link TurboVbiCompressor}) and its model ({@link CompressedNetworkModel}), and the source of the compress job's
 * configuration keys. Every param has a name, a one-line doc, a default and a validator ({@link Allowed}, which says
 * in words what it allows), so that a bad value fails when it is set.
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
        + "`conv(20,5) relu maxpool(2) flatten dense(10)`", Allowed.parsed("a preset (lenet300, lenet5) or a layer "
        + "list", value -> NetworkSpec.parse(value) != null));
  }

  default Param<String> imageShape() {
    return new Param<>(this, "imageShape", "shape of one sample, channels x height x width",
        Allowed.parsed("channels x height x width, e.g. 1x28x28", value -> ImageShape.parse(value) != null));
  }

  default IntParam classes() {
    return new IntParam(this, "classes", "number of classes", Allowed.integer(2, 1_000_000));
  }

  default Param<String> inputScaling() {
    return new Param<>(this, "inputScaling", "how raw inputs become the features, e.g. 'pixel / 255': part of the "
        + "input contract saved with the model and its ONNX file, not applied by it ('': features as given)",
        Allowed.anyText());
  }

  default StringArrayParam classLabels() {
    return new StringArrayParam(this, "classLabels", "the name of each class, in label order (empty: the labels "
        + "0, 1, ...)", Allowed.names());
  }

  default Param<String> initialNetwork() {
    return new Param<>(this, "initialNetwork", "a trained network to start from, the path (local or hdfs://) of an "
        + "ONNX file: its graph gives the network (network is then left unset, empty or the same) and its weights "
        + "the starting means ('': the network param, initialised at random)", Allowed.anyText());
  }

  default IntParam validationSize() {
    return new IntParam(this, "validationSize", "samples carved from the training data for validation; all tuning "
        + "uses them (about this many, by a seeded hash of each sample's id; the single-JVM commands: exactly this "
        + "many, by a seeded shuffle)", Allowed.integer(1, Integer.MAX_VALUE));
  }

  default LongParam seed() {
    return new LongParam(this, "seed", "seed of every random choice of the run", Allowed.integer(0, Long.MAX_VALUE));
  }

  default IntParam threads() {
    return new IntParam(this, "threads", "threads of the driver's updates and evaluations, and of the single-JVM "
        + "trainer (0: one per core)", Allowed.integer(0, 1024));
  }

  default Param<String> method() {
    return new Param<>(this, "method", "turbo (Turbo-VBI with the MRF prior), iid (Turbo-VBI with Module B off) or "
        + "magnitude (train the dense net, keep the largest |w|: under control=target gradually, with the same "
        + "schedule; then fine-tune)", Allowed.oneOf("turbo", "iid", "magnitude"));
  }

  // The w-step's training.

  default IntParam batchSize() {
    return new IntParam(this, "batchSize", "mini-batch size: the global mini-batch of a round in gradient mode, the "
        + "local one in average mode", Allowed.integer(1, 1_000_000));
  }

  default Param<String> optimizer() {
    return new Param<>(this, "optimizer", "optimiser", Allowed.oneOf("adam", "sgd"));
  }

  default DoubleParam learningRate() {
    return new DoubleParam(this, "learningRate", "learning rate of weights and biases",
        Allowed.real(0, true, Allowed.INF, true));
  }

  default DoubleParam momentum() {
    return new DoubleParam(this, "momentum", "momentum of sgd", Allowed.real(0, false, 1, true));
  }

  default DoubleParam logVarInit() {
    return new DoubleParam(this, "logVarInit", "initial log-variance of every weight's posterior",
        Allowed.real(-Allowed.INF, true, Allowed.INF, true));
  }

  default DoubleParam logVarCap() {
    return new DoubleParam(this, "logVarCap",
        "upper cap on log-variances (without it sigma^2 grows and nothing is pruned)",
        Allowed.real(-Allowed.INF, true, Allowed.INF, true));
  }

  default DoubleParam logVarLearningRate() {
    return new DoubleParam(this, "logVarLearningRate", "learning rate of the log-variances",
        Allowed.real(0, false, Allowed.INF, true));
  }

  // The Turbo-VBI loop and the compression control.

  default Param<String> factorisation() {
    return new Param<>(this, "factorisation", "Module A: collapsed q(rho | s) (default) or the paper's mean-field "
        + "form (ablation)", Allowed.oneOf("collapsed", "meanfield"));
  }

  default Param<String> warmUpPrior() {
    return new Param<>(this, "warmUpPrior", "precision of the warm-up w-step: the active prior a/b, or the prior "
        + "mixture lambda a/b + (1 - lambda) abar/bbar (which left nothing active on LeNet)",
        Allowed.oneOf("active", "mixture"));
  }

  default IntParam warmUpEpochs() {
    return new IntParam(this, "warmUpEpochs", "w-step epochs before the first Module B call (with a patience: the "
        + "most)", Allowed.integer(0, 1_000_000));
  }

  default IntParam warmUpPatience() {
    return new IntParam(this, "warmUpPatience", "end the warm-up once the validation accuracy has not improved for "
        + "this many epochs (0: exactly warmUpEpochs)", Allowed.integer(0, 1_000_000));
  }

  default IntParam epochsPerIteration() {
    return new IntParam(this, "epochsPerIteration", "w-step epochs per outer iteration",
        Allowed.integer(1, 1_000_000));
  }

  default Param<String> control() {
    return new Param<>(this, "control", "target: a controller steers the size after unit removal to the target "
        + "along the schedule (ramp, hold); free: the prior alone decides (ablation; stops at iterations, tolerance "
        + "or targetCompression)", Allowed.oneOf("target", "free"));
  }

  default DoubleParam targetCompression() {
    return new DoubleParam(this, "targetCompression", "target: all weights / weights left after unit removal (free: "
        + "stop once reached; 0: none)", Allowed.real(0, false, Allowed.INF, true));
  }

  default DoubleParam targetFlops() {
    return new DoubleParam(this, "targetFlops", "target: FLOPs per sample of the network left after unit removal, 2 "
        + "per multiply-add (0: none; give this or targetCompression)", Allowed.real(0, false, Allowed.INF, true));
  }

  default IntParam ramp() {
    return new IntParam(this, "ramp", "target: outer iterations from the whole network to the target",
        Allowed.integer(1, 1_000_000));
  }

  default IntParam hold() {
    return new IntParam(this, "hold", "target: outer iterations at the target before the final mask",
        Allowed.integer(0, 1_000_000));
  }

  default Param<String> schedule() {
    return new Param<>(this, "schedule", "target: the kept share along the ramp, cubic (gradual pruning: fast first, "
        + "slow near the target) or geometric (the same factor every iteration)", Allowed.oneOf("cubic", "geometric"));
  }

  default DoubleParam guard() {
    return new DoubleParam(this, "guard", "target: stop ramping, and hold the last size that passed, once the masked "
        + "network's validation accuracy falls more than this many points below the warm-up's (0: no guard)",
        Allowed.real(0, false, 100, false));
  }

  default IntParam iterations() {
    return new IntParam(this, "iterations", "free: T_max, the most outer iterations", Allowed.integer(0, 1_000_000));
  }

  default DoubleParam tolerance() {
    return new DoubleParam(this, "tolerance", "free: stop when the relative changes of pit and mu both fall below "
        + "this (0: never)", Allowed.real(0, false, Allowed.INF, true));
  }

  // The prior, per weight layer.

  default DoubleArrayParam priorA() {
    return new DoubleArrayParam(this, "priorA", "shape a of the active precision prior Ga(a, b)",
        Allowed.perLayer(0, true, Allowed.INF, true));
  }

  default DoubleArrayParam priorB() {
    return new DoubleArrayParam(this, "priorB", "rate b of the active precision prior",
        Allowed.perLayer(0, true, Allowed.INF, true));
  }

  default DoubleArrayParam priorAbar() {
    return new DoubleArrayParam(this, "priorAbar", "shape abar of the inactive precision prior Ga(abar, bbar)",
        Allowed.perLayer(0, true, Allowed.INF, true));
  }

  default DoubleArrayParam priorBbar() {
    return new DoubleArrayParam(this, "priorBbar", "rate bbar of the inactive precision prior (smaller: weights must "
        + "be larger to stay active)", Allowed.perLayer(0, true, Allowed.INF, true));
  }

  default Param<String> mrfMode() {
    return new Param<>(this, "mrfMode", "support prior: graph (grids over kernels and image inputs, unit, kernel, "
        + "filter and channel gates linked across layers; loopy BP), grid (row and column chains over the weight "
        + "matrix, loopy BP), rows (one chain per neuron, exact) or iid (Module B off)",
        Allowed.oneOfPerLayer("graph", "grid", "rows", "iid"));
  }

  default DoubleArrayParam rowP01() {
    return new DoubleArrayParam(this, "rowP01", "row chains: P(next active | inactive); small p01 and p10 make long "
        + "runs", Allowed.perLayer(0, true, 1, true));
  }

  default DoubleArrayParam rowP10() {
    return new DoubleArrayParam(this, "rowP10", "row chains: P(next inactive | active)",
        Allowed.perLayer(0, true, 1, true));
  }

  default DoubleArrayParam colP01() {
    return new DoubleArrayParam(this, "colP01", "column chains (grid, graph): P(1 | 0); on 2-D grids (1-p01)(1-p10)/"
        + "(p01 p10) must stay below 4 for rows and columns", Allowed.perLayer(0, true, 1, true));
  }

  default DoubleArrayParam colP10() {
    return new DoubleArrayParam(this, "colP10", "column chains (grid, graph): P(0 | 1)",
        Allowed.perLayer(0, true, 1, true));
  }

  default BooleanParam mrfCouplingOverride() {
    return new BooleanParam(this, "mrfCouplingOverride", "run grid or graph mode at or above loopy BP's critical "
        + "coupling (refused otherwise), with a warning");
  }

  default DoubleArrayParam gatePrior() {
    return new DoubleArrayParam(this, "gatePrior", "graph mode: prior P(alive) of the layer's unit, kernel, filter "
        + "and channel variables", Allowed.perLayer(0, true, 1, true));
  }

  default DoubleArrayParam gateLeak() {
    return new DoubleArrayParam(this, "gateLeak", "graph mode: how much less likely an active weight is under a "
        + "dead gate (1: gates have no effect)", Allowed.perLayer(0, true, 1, false));
  }

  default DoubleParam mrfDamping() {
    return new DoubleParam(this, "mrfDamping", "loopy BP damping: the share of the old message kept",
        Allowed.real(0, false, 1, true));
  }

  default IntParam mrfSweeps() {
    return new IntParam(this, "mrfSweeps", "loopy BP: most sweeps per Module B call", Allowed.integer(1, 1_000_000));
  }

  default DoubleParam mrfTolerance() {
    return new DoubleParam(this, "mrfTolerance", "loopy BP: stop when no message changes by more than this",
        Allowed.real(0, true, Allowed.INF, true));
  }

  default Param<String> mrfSchedule() {
    return new Param<>(this, "mrfSchedule", "loopy BP schedule: flooding (all messages at once) or sequential",
        Allowed.oneOf("flooding", "sequential"));
  }

  // After the mask: fine-tuning, and the magnitude baseline.

  default IntParam fineTuneEpochs() {
    return new IntParam(this, "fineTuneEpochs", "epochs of masked fine-tuning of the pruned network (0: none)",
        Allowed.integer(0, 1_000_000));
  }

  default DoubleParam fineTuneLearningRate() {
    return new DoubleParam(this, "fineTuneLearningRate", "learning rate of the fine-tuning",
        Allowed.real(0, true, Allowed.INF, true));
  }

  default IntParam magnitudeEpochs() {
    return new IntParam(this, "magnitudeEpochs", "magnitude baseline with control=free: epochs of dense training "
        + "before one-shot pruning", Allowed.integer(1, 1_000_000));
  }

  default DoubleParam magnitudeCompression() {
    return new DoubleParam(this, "magnitudeCompression", "magnitude baseline with control=free: all weights / kept "
        + "weights of the one-shot pruning", Allowed.real(1, false, Allowed.INF, true));
  }

  // How the w-step runs on the cluster.

  default IntParam partitions() {
    return new IntParam(this, "partitions", "partitions (shards) of the training data (0: Spark's default "
        + "parallelism, i.e. the cores)", Allowed.integer(0, 1_000_000));
  }

  default Param<String> trainingMode() {
    return new Param<>(this, "trainingMode", "distributed w-step: gradient (partitions sum the gradient of each "
        + "global batch; the result does not depend on the partitioning) or average (local steps, then parameters "
        + "averaged)", Allowed.oneOf("gradient", "average"));
  }

  default IntParam localSteps() {
    return new IntParam(this, "localSteps", "average mode: local optimiser steps per round",
        Allowed.integer(1, 1_000_000));
  }

  default IntParam aggregationDepth() {
    return new IntParam(this, "aggregationDepth", "depth of the tree aggregation of round results (0: from the "
        + "partition count, so that no node sums more than 16 results: 1 up to 16 partitions, 2 up to 256)",
        Allowed.integer(0, 10));
  }

  default IntParam taskThreads() {
    return new IntParam(this, "taskThreads", "engine threads inside each task; above 1, Spark gives each task as "
        + "many cores (spark.task.cpus), so fewer, larger tasks share a round", Allowed.integer(1, 1024));
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
}
