package io.turbovbi.spark.train;

import io.turbovbi.nn.DivergenceException;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.nn.Seeds;
import io.turbovbi.nn.Trainer;
import io.turbovbi.nn.Update;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Mini-batch training of a network over a Spark cluster (DESIGN 3). The driver owns the parameters and the
 * optimiser; one synchronisation round is one Spark job: broadcast the parameters, let every partition compute its
 * share on its cached shard, sum, update on the driver, destroy the broadcast.
 *
 * <p>{@link Mode#GRADIENT} (the default): one round per global mini-batch; each partition sums the gradient of its
 * members of the batch, and the driver takes the optimiser step. Batches, noise and updates are those of the
 * single-JVM {@link Trainer} with the same seed, so the result does not depend on the partitioning (up to float
 * rounding). {@link Mode#AVERAGE}: each partition takes a few local optimiser steps on its own samples from the
 * broadcast parameters and optimiser state, and the driver averages parameters and state weighted by samples; fewer
 * rounds, but the result depends on the partitioning.
 */
public final class SparkTrainer implements AutoCloseable {
  /** How a round divides the work. */
  public enum Mode { GRADIENT, AVERAGE }

  /**
   * @param mode gradient (default) or average
   * @param batchSize the global mini-batch (gradient mode) or each partition's local mini-batch (average mode)
   * @param localSteps local optimiser steps per round in average mode
   * @param aggregationDepth depth of the tree aggregation (0: chosen from the partition count)
   * @param taskThreads threads of the gradient engine inside each task (give tasks as many cores:
   *     spark.task.cpus)
   */
  public record Settings(Mode mode, int batchSize, int localSteps, int aggregationDepth, int taskThreads)
      implements Serializable {
    public Settings {
      if (batchSize < 1 || localSteps < 1 || aggregationDepth < 0 || taskThreads < 1) {
        throw new IllegalArgumentException("batch size, local steps and task threads must be positive and the "
            + "aggregation depth at least 0, got " + batchSize + ", " + localSteps + ", " + aggregationDepth + ", "
            + taskThreads);
      }
    }
  }

  /** What one epoch did, for progress reports. */
  public record EpochReport(int epoch, double meanLoss, int rounds, double seconds, int samples) {
    public double secondsPerRound() {
      return rounds == 0 ? 0 : seconds / rounds;
    }
  }

  /** What a call of {@link #train} did. */
  public record Outcome(double meanLoss, int rounds, long bytesMoved, double seconds) {
    /** This training followed by {@code next}: the later loss; rounds, bytes and time added up. */
    public Outcome then(Outcome next) {
      return new Outcome(next.meanLoss, rounds + next.rounds, bytesMoved + next.bytesMoved, seconds + next.seconds);
    }
  }

  private final JavaSparkContext spark;
  private final NetworkRecipe recipe;
  private final Network network;
  private final float[] params;
  private final ShardedData data;
  private final JavaRDD<Shard> shards;
  private final int trainSize;
  private final int largestShard;
  private final OptimizerSettings optimizerSettings;
  private final Optimizer optimizer;
  private final GradientEngine driverEngine;
  private final long seed;
  private final Settings settings;
  private int epochsDone;
  private Consumer<EpochReport> epochListener = report -> { };

  /**
   * @param params the initial parameters; trained in place on the driver
   * @param data the training data, one {@link Shard} per partition, persisted
   * @param driverThreads threads for the driver's update
   */
  public SparkTrainer(JavaSparkContext spark, NetworkRecipe recipe, float[] params, ShardedData data,
                      OptimizerSettings optimizerSettings, long seed, Settings settings, int driverThreads) {
    this.spark = spark;
    this.recipe = recipe;
    this.network = recipe.build();
    if (params.length != network.parameterCount()) {
      throw new IllegalArgumentException(params.length + " parameters for a network of "
          + network.parameterCount());
    }
    this.params = params;
    this.data = data;
    this.shards = data.shards();
    this.trainSize = Math.toIntExact(data.size());
    this.largestShard = settings.mode() == Mode.AVERAGE
        ? shards.map(Shard::size).collect().stream().mapToInt(Integer::intValue).max().orElse(0) : 0;
    this.optimizerSettings = optimizerSettings;
    this.optimizer = optimizerSettings.build(network);
    this.driverEngine = new GradientEngine(network, driverThreads, 256);
    this.seed = seed;
    this.settings = settings;
  }

  public Network network() {
    return network;
  }

  public float[] parameters() {
    return params;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public int epochsDone() {
    return epochsDone;
  }

  /** Receives a report after every epoch. */
  public void onEpoch(Consumer<EpochReport> listener) {
    this.epochListener = listener;
  }

  /** Continues a stopped run: its parameters, optimiser state and epoch count. */
  public void restore(float[] savedParams, Optimizer.State optimizerState, int savedEpochs) {
    System.arraycopy(savedParams, 0, params, 0, params.length);
    optimizer.restore(optimizerState);
    epochsDone = savedEpochs;
  }

  /** Trains for {@code epochs} epochs with the update the recipe describes. */
  public Outcome train(int epochs, UpdateRecipe updateRecipe) {
    long start = System.nanoTime();
    RoundCounter counter = new RoundCounter();
    double meanLoss = Double.NaN;
    Update update = updateRecipe.build(network, optimizer, driverEngine);
    Broadcast<UpdateRecipe> sharedRecipe = settings.mode() == Mode.AVERAGE ? spark.broadcast(updateRecipe) : null;
    try {
      for (int e = 0; e < epochs; e++) {
        int epoch = epochsDone++;
        long epochStart = System.nanoTime();
        int roundsBefore = counter.rounds;
        meanLoss = settings.mode() == Mode.GRADIENT ? gradientEpoch(epoch, update, counter)
            : averagingEpoch(epoch, sharedRecipe, counter);
        DivergenceException.check(network, params, meanLoss, "epoch " + (epoch + 1));
        epochListener.accept(new EpochReport(epoch, meanLoss, counter.rounds - roundsBefore,
            (System.nanoTime() - epochStart) / 1e9, trainSize));
      }
    } finally {
      if (sharedRecipe != null) {
        sharedRecipe.destroy();
      }
    }
    return new Outcome(meanLoss, counter.rounds, counter.bytes, (System.nanoTime() - start) / 1e9);
  }

  private static final class RoundCounter {
    int rounds;
    long bytes;
  }

  /** Accuracy of the network with the given parameters on a data set, computed where the data are. */
  public double accuracy(float[] evaluated, ShardedData samples) {
    spark.setJobDescription("turbovbi: accuracy on " + samples.size() + " samples");
    return samples.score(recipe, evaluated, settings.taskThreads(), settings.aggregationDepth()).accuracy();
  }

  /** Global mini-batches of an epoch: each takes {@code batchSize} samples on average. */
  private int batchesPerEpoch() {
    return Math.max(1, (trainSize + settings.batchSize() - 1) / settings.batchSize());
  }

  /** One epoch in gradient mode; returns the mean loss. */
  private double gradientEpoch(int epoch, Update update, RoundCounter counter) {
    int batches = batchesPerEpoch();
    double lossSum = 0;
    for (int batch = 0; batch < batches; batch++) {
      spark.setJobDescription("turbovbi: epoch " + (epoch + 1) + ", gradient of batch " + (batch + 1) + " of "
          + batches);
      Broadcast<float[]> shared = spark.broadcast(params.clone());
      RoundResult result;
      try {
        result = RoundJob.run(shards, new GradientTask(shared, epoch, batches, batch, seed, recipe, settings),
            settings.aggregationDepth());
      } finally {
        shared.destroy();
      }
      counter.rounds++;
      counter.bytes += 4L * params.length * (1 + shards.getNumPartitions());
      if (result.count > 0) {
        update.apply(params, result.vector, (int) result.count, trainSize);
        lossSum += result.lossSum;
      }
    }
    return lossSum / trainSize;
  }

  /** One epoch in averaging mode; returns the mean loss. */
  private double averagingEpoch(int epoch, Broadcast<UpdateRecipe> updateRecipe, RoundCounter counter) {
    int samplesPerRound = settings.localSteps() * settings.batchSize();
    int rounds = (largestShard + samplesPerRound - 1) / samplesPerRound;
    double lossSum = 0;
    long seen = 0;
    for (int round = 0; round < rounds; round++) {
      spark.setJobDescription("turbovbi: epoch " + (epoch + 1) + ", local steps and average, round " + (round + 1)
          + " of " + rounds);
      Optimizer.State state = optimizer.state();
      Broadcast<AveragingTask.Start> shared = spark.broadcast(new AveragingTask.Start(params.clone(), state));
      RoundResult result;
      try {
        result = RoundJob.run(shards, new AveragingTask(shared, updateRecipe, epoch, round, seed, recipe,
            optimizerSettings, settings), settings.aggregationDepth());
      } finally {
        shared.destroy();
      }
      counter.rounds++;
      counter.bytes += 4L * params.length * 3 * (1 + shards.getNumPartitions());
      if (result.count == 0) {
        continue;
      }
      float[] average = result.vector;
      float scale = 1f / result.count;
      for (int i = 0; i < average.length; i++) {
        average[i] *= scale;
      }
      int n = params.length;
      System.arraycopy(average, 0, params, 0, n);
      float[][] buffers = new float[state.buffers().length][];
      for (int b = 0; b < buffers.length; b++) {
        buffers[b] = Arrays.copyOfRange(average, n * (b + 1), n * (b + 2));
      }
      optimizer.restore(new Optimizer.State(state.steps() + settings.localSteps(), buffers));
      lossSum += result.lossSum;
      seen += result.count;
    }
    return seen == 0 ? Double.NaN : lossSum / seen;
  }

  @Override
  public void close() {
    driverEngine.close();
  }

  /** A partition's part of a gradient-mode round: the gradient sum over its members of the global batch. */
  static final class GradientTask implements RoundJob.PartitionTask {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> shared;
    private final int epoch;
    private final int batches;
    private final int batch;
    private final long seed;
    private final NetworkRecipe recipe;
    private final Settings settings;

    GradientTask(Broadcast<float[]> shared, int epoch, int batches, int batch, long seed, NetworkRecipe recipe,
                 Settings settings) {
      this.shared = shared;
      this.epoch = epoch;
      this.batches = batches;
      this.batch = batch;
      this.seed = seed;
      this.recipe = recipe;
      this.settings = settings;
    }

    @Override
    public RoundResult apply(int partitionIndex, Iterator<Shard> partition) {
      RoundResult total = new RoundResult();
      while (partition.hasNext()) {
        Shard shard = partition.next();
        int[] members = shard.members(seed, epoch, batches, batch);
        if (members.length == 0) {
          continue;
        }
        long[] keys = new long[members.length];
        for (int i = 0; i < members.length; i++) {
          keys[i] = Seeds.derive(seed, epoch, shard.ids()[members[i]]);
        }
        GradientEngine engine = ExecutorEngines.borrow(recipe, settings.taskThreads(), settings.batchSize());
        try {
          // A batch holds batchSize samples on average, not at most: the engine takes them batchSize at a time.
          for (int from = 0; from < members.length; from += settings.batchSize()) {
            int count = Math.min(settings.batchSize(), members.length - from);
            float[] gradients = new float[engine.network().parameterCount()];
            GradientEngine.BatchLoss loss = engine.gradient(shared.value(), shard.features(), shard.labels(),
                members, from, count, Arrays.copyOfRange(keys, from, from + count), gradients);
            total.merge(new RoundResult(gradients, loss.lossSum(), loss.correct(), loss.count()));
          }
        } finally {
          ExecutorEngines.release(recipe, settings.batchSize(), engine);
        }
      }
      return total;
    }
  }

  /**
   * A partition's part of an averaging round: local optimiser steps on its own samples from the broadcast
   * parameters and optimiser state; returns parameters and state weighted by the samples it saw.
   */
  static final class AveragingTask implements RoundJob.PartitionTask {
    private static final long serialVersionUID = 1L;

    /** Where every partition starts a round from. */
    record Start(float[] params, Optimizer.State optimizerState) implements Serializable {}

    private final Broadcast<Start> shared;
    private final Broadcast<UpdateRecipe> updateRecipe;
    private final int epoch;
    private final int round;
    private final long seed;
    private final NetworkRecipe recipe;
    private final OptimizerSettings optimizerSettings;
    private final Settings settings;

    AveragingTask(Broadcast<Start> shared, Broadcast<UpdateRecipe> updateRecipe, int epoch, int round, long seed,
                  NetworkRecipe recipe, OptimizerSettings optimizerSettings, Settings settings) {
      this.shared = shared;
      this.updateRecipe = updateRecipe;
      this.epoch = epoch;
      this.round = round;
      this.seed = seed;
      this.recipe = recipe;
      this.optimizerSettings = optimizerSettings;
      this.settings = settings;
    }

    @Override
    public RoundResult apply(int partitionIndex, Iterator<Shard> partition) {
      RoundResult total = new RoundResult();
      while (partition.hasNext()) {
        Shard shard = partition.next();
        int[] order = Trainer.epochOrder(Seeds.derive(seed, partitionIndex), epoch, shard.size());
        int from = round * settings.localSteps() * settings.batchSize();
        int to = Math.min(shard.size(), from + settings.localSteps() * settings.batchSize());
        if (from >= to) {
          continue;
        }
        GradientEngine engine = ExecutorEngines.borrow(recipe, settings.taskThreads(), settings.batchSize());
        try {
          Network network = engine.network();
          float[] params = shared.value().params().clone();
          Optimizer optimizer = optimizerSettings.build(network);
          optimizer.restore(shared.value().optimizerState());
          Update update = updateRecipe.value().build(network, optimizer, engine);
          Trainer trainer = new Trainer(engine, update, settings.batchSize(), Seeds.derive(seed, partitionIndex));
          double lossSum = 0;
          long correct = 0;
          for (int start = from; start < to; start += settings.batchSize()) {
            Trainer.StepResult step = trainer.step(params, shard.features(), shard.labels(), order, start,
                Math.min(settings.batchSize(), to - start), epoch);
            lossSum += step.lossSum();
            correct += step.correct();
          }
          int seen = to - from;
          Optimizer.State state = optimizer.state();
          int n = params.length;
          float[] weighted = new float[n * (1 + state.buffers().length)];
          for (int i = 0; i < n; i++) {
            weighted[i] = params[i] * seen;
          }
          for (int b = 0; b < state.buffers().length; b++) {
            float[] buffer = state.buffers()[b];
            for (int i = 0; i < n; i++) {
              weighted[n * (b + 1) + i] = buffer[i] * seen;
            }
          }
          total.merge(new RoundResult(weighted, lossSum, correct, seen));
        } finally {
          ExecutorEngines.release(recipe, settings.batchSize(), engine);
        }
      }
      return total;
    }
  }
}
