package io.turbovbi.spark.pipeline;

import io.turbovbi.compress.MagnitudePruning;
import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.compress.RemovalAwareCost;
import io.turbovbi.compress.UnitPruner;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.nn.ParamBlock;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.spark.train.MaskedUpdate;
import io.turbovbi.spark.train.NetworkRecipe;
import io.turbovbi.spark.train.PlainUpdate;
import io.turbovbi.spark.train.ShardedData;
import io.turbovbi.spark.train.SparkTrainer;
import io.turbovbi.spark.train.SparkWStep;
import io.turbovbi.turbo.CompressionController;
import io.turbovbi.turbo.Control;
import io.turbovbi.turbo.IterationRecord;
import io.turbovbi.turbo.MaskCost;
import io.turbovbi.turbo.Masks;
import io.turbovbi.turbo.SupportGeometries;
import io.turbovbi.turbo.TurboSettings;
import io.turbovbi.turbo.TurboVbi;
import io.turbovbi.turbo.WarmUpPatience;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The whole compression on Spark: find a mask (Turbo-VBI with the MRF prior, Turbo-VBI with Module B off, or the
 * magnitude baseline), zero the masked weights, remove dead neurons and channels, fine-tune the survivors with the
 * mask fixed (DESIGN 2, final mask). Every training phase runs as {@link SparkTrainer} rounds over the same shards.
 */
public final class CompressionPipeline {
  /** How the mask is found. */
  public enum Method {
    /** Turbo-VBI with each layer's support MRF as configured. */
    TURBO,
    /** Turbo-VBI with Module B off (pi = lambda): plain sparse Bayesian learning. */
    IID,
    /**
     * Train the dense network and keep the largest |w| over the whole network: gradually, under the same controller
     * and schedule as Turbo-VBI, or at once when free running; then fine-tune.
     */
    MAGNITUDE
  }

  /**
   * @param method how the mask is found
   * @param description the network description
   * @param channels input channels
   * @param height input height
   * @param width input width
   * @param classes number of classes
   * @param initialLogVar initial log-variance of the variational network
   * @param logVarCap cap on log-variances
   * @param turbo the Turbo-VBI settings (TURBO and IID; IID runs them with Module B off); MAGNITUDE uses its
   *              control, warm-up and epochs per iterationfor gradual pruning
   * @param trainer how rounds run
   * @param optimizer optimiser of the w-step and of the magnitude baseline's training
   * @param magnitudeEpochs epochs of dense training for the magnitude baseline
   * @param magnitudeKeep weights the magnitude baseline keeps
   * @param fineTuneEpochs epochs of masked fine-tuning (0: none)
   * @param fineTuneOptimizer optimiser of the fine-tuning
   * @param seed seed of initialisation, batches and noise
   * @param driverThreads threads of the driver's update and evaluation
   */
  public record Settings(Method method, String description, int channels, int height, int width, int classes,
                         double initialLogVar, double logVarCap, TurboSettings turbo, SparkTrainer.Settings trainer,
                         OptimizerSettings optimizer, int magnitudeEpochs, long magnitudeKeep, int fineTuneEpochs,
                         OptimizerSettings fineTuneOptimizer, long seed, int driverThreads) {}

  /** Where progress goes, and where checkpoints of the Turbo-VBI phase are kept. */
  public interface Listener {
    void phase(String name);

    void epoch(SparkTrainer.EpochReport report);

    void iteration(IterationRecord record);

    /** The newest checkpoint of this run, if it is resuming. */
    Optional<Checkpoint> resumeFrom();

    void checkpoint(Checkpoint checkpoint);
  }

  /**
   * What the compression produced.
   *
   * @param history the Turbo-VBI history (empty for the magnitude baseline)
   * @param variationalParams the variational network's parameters (null for the magnitude baseline)
   * @param pit q(s = 1) per weight layer (null for the magnitude baseline)
   * @param dense the mean network (or the trained dense network) before masking
   * @param masked the same with the masked weights set to zero
   * @param pruned the smaller network after removing dead units, before fine-tuning
   * @param fineTuned the smaller network after fine-tuning
   * @param validationAccuracy accuracy on the validation split: dense, masked, pruned, fine-tuned
   * @param seconds wall time per phase
   */
  public record Result(Method method, List<IterationRecord> history, float[] variationalParams, double[][] pit,
                       boolean[][] masks, MeanNetwork dense, MeanNetwork masked, UnitPruner.Result pruned,
                       MeanNetwork fineTuned, Map<String, Double> validationAccuracy, Map<String, Double> seconds) {}

  private final Settings settings;
  /** The deterministic network's parameters to start from; null: a random initialisation from the seed. */
  private float[] start;

  public CompressionPipeline(Settings settings) {
    this.settings = settings;
  }

  /**
   * Starts from a trained network (DESIGN 2, outer loop: "the weights of a trained dense network") instead of a
   * random initialisation: its weights become the means, its biases the biases.
   *
   * @param params the deterministic network's parameters (null: random initialisation)
   */
  public CompressionPipeline startingFrom(float[] params) {
    if (params != null) {
      int expected = deterministic(settings.description()).build().parameterCount();
      if (params.length != expected) {
        throw new IllegalArgumentException("the starting network has " + params.length + " parameters, "
            + settings.description() + " has " + expected);
      }
    }
    this.start = params == null ? null : params.clone();
    return this;
  }

  /** The initial parameters of {@code network} (variational or not): the starting network's, or random ones. */
  private float[] initialParameters(Network network) {
    float[] params = network.initialParameters(settings.seed());
    if (start == null) {
      return params;
    }
    Network plain = deterministic(settings.description()).build();
    for (int layer : plain.weightLayers()) {
      for (ParamKind kind : new ParamKind[] {ParamKind.WEIGHT, ParamKind.BIAS}) {
        ParamBlock from = plain.block(layer, kind);
        System.arraycopy(start, from.offset(), params, network.block(layer, kind).offset(), from.length());
      }
    }
    return params;
  }

  public Result run(JavaSparkContext spark, ShardedData shards, ShardedData validation, Listener listener) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    NetworkSpec spec = NetworkSpec.parse(settings.description());
    long start = System.nanoTime();
    Result partial = settings.method() == Method.MAGNITUDE ? magnitude(spark, shards, validation, spec, listener)
        : turbo(spark, shards, validation, spec, listener);
    seconds.put(settings.method() == Method.MAGNITUDE ? "dense_training" : "turbo_vbi", since(start));

    listener.phase("removing dead units");
    long pruneStart = System.nanoTime();
    UnitPruner.Result pruned = UnitPruner.prune(partial.masked());
    seconds.put("unit_removal", since(pruneStart));

    MeanNetwork fineTuned = pruned.network();
    long fineTuneStart = System.nanoTime();
    if (settings.fineTuneEpochs() > 0) {
      listener.phase("fine-tuning " + pruned.network().network().describe());
      MeanNetwork small = pruned.network();
      NetworkRecipe recipe = deterministic(small.spec().toString());
      try (SparkTrainer trainer = new SparkTrainer(spark, recipe, small.params().clone(), shards,
          settings.fineTuneOptimizer(), settings.seed(), settings.trainer(), settings.driverThreads())) {
        trainer.onEpoch(listener::epoch);
        trainer.train(settings.fineTuneEpochs(), new MaskedUpdate(small.nonZeros()));
        fineTuned = new MeanNetwork(small.spec(), small.network(), trainer.parameters().clone());
      }
    }
    seconds.put("fine_tuning", since(fineTuneStart));

    Map<String, Double> accuracy = new LinkedHashMap<>();
    spark.setJobDescription("turbovbi: validation accuracy of the dense, masked, pruned and fine-tuned networks");
    accuracy.put("dense", accuracy(partial.dense(), validation));
    accuracy.put("masked", accuracy(partial.masked(), validation));
    accuracy.put("pruned", accuracy(pruned.network(), validation));
    accuracy.put("fine_tuned", fineTuned == pruned.network() ? accuracy.get("pruned")
        : accuracy(fineTuned, validation));
    return new Result(settings.method(), partial.history(), partial.variationalParams(), partial.pit(),
        partial.masks(), partial.dense(), partial.masked(), pruned, fineTuned, accuracy, seconds);
  }

  /** Accuracy of a deterministic network on a data set, scored on the executors. */
  public double accuracy(MeanNetwork model, ShardedData samples) {
    return samples.accuracy(model, settings.trainer().taskThreads(), settings.trainer().aggregationDepth());
  }

  private Result turbo(JavaSparkContext spark, ShardedData shards, ShardedData validation, NetworkSpec spec,
                       Listener listener) {
    NetworkRecipe recipe = new NetworkRecipe(settings.description(), settings.channels(), settings.height(),
        settings.width(), settings.classes(), true, settings.initialLogVar());
    Network network = recipe.build();
    listener.phase("Turbo-VBI on " + network.describe());
    try (SparkWStep wStep = new SparkWStep(new SparkTrainer(spark, recipe, initialParameters(network), shards,
        settings.optimizer(), settings.seed(), settings.trainer(),
        settings.driverThreads()), validation, settings.logVarCap())) {
      SparkTrainer trainer = wStep.trainer();
      trainer.onEpoch(listener::epoch);
      TurboVbi loop = TurboVbi.onGeometries(settings.method() == Method.IID ? settings.turbo().withModuleBOff()
          : settings.turbo(), SupportGeometries.of(network), wStep,
          new RemovalAwareCost(deterministic(settings.description()).build()));
      Optional<Checkpoint> saved = listener.resumeFrom();
      if (saved.isPresent()) {
        Checkpoint checkpoint = saved.get();
        if (!checkpoint.network().equals(network.describe())) {
          throw new IllegalArgumentException("the checkpoint is of " + checkpoint.network() + ", not of "
              + network.describe());
        }
        loop.restore(checkpoint.loop());
        trainer.restore(checkpoint.params(), checkpoint.optimizer(), checkpoint.epochsDone());
        listener.phase("resuming after iteration " + checkpoint.loop().iteration());
      }
      TurboVbi.Result result = loop.run(listener::iteration, () -> listener.checkpoint(new Checkpoint(
          network.describe(), loop.state(), trainer.parameters().clone(), trainer.optimizer().state(),
          trainer.epochsDone())));
      float[] params = trainer.parameters().clone();
      MeanNetwork dense = MeanNetwork.of(spec, network, params);
      return new Result(settings.method(), result.history(), params, result.pit(), result.masks(), dense,
          new MeanNetwork(spec, dense.network(), Masks.apply(dense.network(), dense.params(), result.masks())),
          null, null, null, null);
    }
  }

  /**
   * The magnitude baseline. Free running: dense training, then one-shot pruning. Controlled: gradual magnitude
   * pruning (Zhu and Gupta 2017) under the same controller, schedule and epochs as Turbo-VBI, so that the two are
   * compared at equal size and budget: after the warm-up's dense training, each iteration the controller's offset on
   * ln |w| keeps the scheduled size after unit removal, and the survivors train under that mask.
   */
  private Result magnitude(JavaSparkContext spark, ShardedData shards, ShardedData validation, NetworkSpec spec,
                           Listener listener) {
    NetworkRecipe recipe = deterministic(settings.description());
    Network network = recipe.build();
    Control control = settings.turbo().control();
    listener.phase("training the dense " + network.describe());
    try (SparkTrainer trainer = new SparkTrainer(spark, recipe, initialParameters(network), shards,
        settings.optimizer(), settings.seed(), settings.trainer(), settings.driverThreads())) {
      trainer.onEpoch(listener::epoch);
      if (!control.controlled()) {
        trainer.train(settings.magnitudeEpochs(), new PlainUpdate());
        float[] params = trainer.parameters().clone();
        boolean[][] masks = MagnitudePruning.globalMask(network, params, settings.magnitudeKeep());
        return new Result(settings.method(), List.of(), null, null, masks, new MeanNetwork(spec, network, params),
            new MeanNetwork(spec, network, Masks.apply(network, params, masks)), null, null, null, null);
      }
      CompressionController controller = new CompressionController(control, new RemovalAwareCost(network),
          network.weightShapes().stream().mapToInt(WeightShape::count).toArray());
      List<IterationRecord> history = new ArrayList<>();
      long start = System.nanoTime();
      TurboSettings turbo = settings.turbo();
      SparkTrainer.Outcome warm;
      int warmUpEpochs = turbo.warmUpEpochs();
      if (turbo.warmUpPatience() == 0) {
        warm = trainer.train(warmUpEpochs, new PlainUpdate());
      } else {
        WarmUpPatience patience = new WarmUpPatience(warmUpEpochs, turbo.warmUpPatience());
        warm = new SparkTrainer.Outcome(Double.NaN, 0, 0, 0);
        while (patience.another()) {
          warm = warm.then(trainer.train(1, new PlainUpdate()));
          patience.record(trainer.accuracy(trainer.parameters(), validation));
        }
        warmUpEpochs = patience.epochs();
      }
      float[] dense = trainer.parameters().clone();
      history.add(magnitudeRecord(0, warmUpEpochs, warm, trainer.accuracy(dense, validation), null,
          controller.whole(), 0, start, network));
      listener.iteration(history.get(0));
      boolean[][] masks = null;
      int epochs = settings.turbo().epochsPerIteration();
      for (int t = 1; t <= control.iterations(); t++) {
        start = System.nanoTime();
        CompressionController.Offset offset = controller.solve(MagnitudePruning.logMagnitudes(network,
            trainer.parameters()), controller.scheduledCost(t));
        masks = offset.masks();
        float[] masked = Masks.apply(network, trainer.parameters(), masks);
        System.arraycopy(masked, 0, trainer.parameters(), 0, masked.length);
        SparkTrainer.Outcome trained = trainer.train(epochs, new MaskedUpdate(masks));
        IterationRecord record = magnitudeRecord(t, epochs, trained,
            trainer.accuracy(trainer.parameters(), validation), masks, offset.kept(), offset.beta(), start, network);
        history.add(record);
        listener.iteration(record);
      }
      float[] params = trainer.parameters().clone();
      return new Result(settings.method(), history, null, null, masks, new MeanNetwork(spec, network, dense),
          new MeanNetwork(spec, network, Masks.apply(network, params, masks)), null, null, null, null);
    }
  }

  /** A history row of gradual magnitude pruning; {@code masks} null for the dense training before it. */
  private static IterationRecord magnitudeRecord(int iteration, int epochs, SparkTrainer.Outcome trained,
                                                 double accuracy, boolean[][] masks, MaskCost.Kept kept,
                                                 double offset, long start, Network network) {
    long all = network.weightCount();
    double[] shares = masks == null ? Arrays.stream(network.weightLayers()).mapToDouble(layer -> 1.0).toArray()
        : Arrays.stream(masks).mapToDouble(m -> (double) Masks.kept(m) / m.length).toArray();
    double maskCompression = masks == null ? 1 : (double) all / Math.max(1, Masks.kept(masks));
    return new IterationRecord(iteration, epochs, trained.meanLoss(), Double.NaN, accuracy, accuracy, shares,
        maskCompression, (double) all / Math.max(1, kept.weights()), kept.flops(), offset, false, Double.NaN,
        Double.NaN, new int[shares.length], 0, 0, (System.nanoTime() - start) / 1e9, trained.rounds(),
        trained.bytesMoved());
  }

  private NetworkRecipe deterministic(String description) {
    return new NetworkRecipe(description, settings.channels(), settings.height(), settings.width(),
        settings.classes(), false, 0);
  }

  private static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
