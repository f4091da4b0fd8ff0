package io.turbovbi.turbo;

import io.turbovbi.mrf.MessagePassingReport;
import io.turbovbi.mrf.SupportGrid;
import io.turbovbi.mrf.SupportMrf;
import io.turbovbi.nn.DivergenceException;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.prior.ModuleA;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Turbo-VBI outer loop (DESIGN 2; Xia, Tsang and Lau, "Structured Bayesian Compression for Deep Neural Networks
 * Based on the Turbo-VBI Approach", IEEE TSP 71 (2023), arXiv 2302.10483). Per outer iteration: Module B turns
 * Module A's log-likelihood ratios into the extrinsic prior pi on every support variable; Module A's s-step and
 * rho-step give q(s) and the precisions E[rho]; the w-step fits q(w) under them. The w-step is an interface, so
 * the same loop drives a single-JVM trainer and the Spark trainer.
 *
 * <p>Initialisation: pi is the zero-evidence marginal of each layer's prior; the warm-up w-step runs on the
 * precision {@link WarmUpPrior} chooses; q(rho) is then refreshed from the warm weights before Module B's first call.
 */
public final class TurboVbi {
  /** The support of a weight is active in the final mask when its posterior share q(s = 1) exceeds this. */
  public static final double ACTIVE_THRESHOLD = 0.5;

  private final TurboSettings settings;
  private final WStep wStep;
  private final List<LayerState> layers = new ArrayList<>();
  private final List<IterationRecord> history = new ArrayList<>();
  private int iteration;
  private double[][] previousMeans;
  private double[][] previousPit;

  /** Per weight layer: its Module A and Module B and the messages between them. */
  private static final class LayerState {
    final SupportMrf moduleB;
    final ModuleA moduleA;
    final double[] pi;
    final double[] pit;
    final double[] llrA;
    final double[] llrB;
    final double[] precision;
    final double[] secondMoment;

    LayerState(SupportMrf moduleB, ModuleA moduleA, int size) {
      this.moduleB = moduleB;
      this.moduleA = moduleA;
      this.pi = new double[size];
      this.pit = new double[size];
      this.llrA = new double[size];
      this.llrB = new double[size];
      this.precision = new double[size];
      this.secondMoment = new double[size];
    }
  }

  /** The final mask and posterior support probabilities. */
  public record Result(boolean[][] masks, double[][] pit, List<IterationRecord> history) {}

  public TurboVbi(TurboSettings settings, List<WeightShape> shapes, WStep wStep) {
    if (shapes.size() != settings.priors().size()) {
      throw new IllegalArgumentException("the network has " + shapes.size() + " weight layers but the settings "
          + "describe " + settings.priors().size());
    }
    int[] sizes = wStep.layerSizes();
    this.settings = settings;
    this.wStep = wStep;
    for (int k = 0; k < shapes.size(); k++) {
      WeightShape shape = shapes.get(k);
      if (shape.count() != sizes[k]) {
        throw new IllegalArgumentException("weight layer " + k + " has " + sizes[k] + " weights in the w-step but "
            + shape.count() + " in its shape");
      }
      SupportGrid grid = shape.convolutional()
          ? SupportGrid.conv(shape.outputs(), shape.inputs(), shape.kernel())
          : SupportGrid.dense(shape.outputs(), shape.inputs());
      SupportMrf moduleB = SupportMrf.create(grid, settings.mrfs().get(k));
      double share = moduleB.zeroEvidenceMarginal();
      LayerState layer = new LayerState(moduleB, ModuleA.create(settings.factorisation(), settings.priors().get(k),
          shape.count(), share), shape.count());
      Arrays.fill(layer.pi, share);
      Arrays.fill(layer.pit, share);
      Arrays.fill(layer.precision, settings.warmUpPrior().precision(settings.priors().get(k), share));
      layers.add(layer);
    }
  }

  /** Runs the warm-up and the outer iterations, then takes the final mask. */
  public Result run(Consumer<IterationRecord> progress) {
    return run(progress, () -> { });
  }

  /**
   * Runs what is left of the loop (all of it, or the rest after {@link #restore}), calling {@code checkpoint}
   * after the warm-up and after every outer iteration, then takes the final mask.
   */
  public Result run(Consumer<IterationRecord> progress, Runnable checkpoint) {
    if (history.isEmpty()) {
      progress.accept(inIteration(this::warmUp));
      checkpoint.run();
    }
    while (!finished()) {
      progress.accept(inIteration(this::iterate));
      checkpoint.run();
    }
    return finish();
  }

  /** Runs a step of the loop; a divergence is reported with the iteration it happened in (0: the warm-up). */
  private IterationRecord inIteration(java.util.function.Supplier<IterationRecord> step) {
    try {
      return step.get();
    } catch (DivergenceException e) {
      int failed = history.size() == 0 ? 0 : iteration;
      throw new DivergenceException((failed == 0 ? "the warm-up" : "outer iteration " + failed) + ": "
          + e.getMessage() + "; the last checkpoint is that of " + (failed == 0 ? "no iteration"
          : failed == 1 ? "the warm-up" : "iteration " + (failed - 1)));
    }
  }

  private boolean finished() {
    IterationRecord last = history.get(history.size() - 1);
    return iteration >= settings.maxIterations() || (iteration > 0 && (converged(last) || reachedTarget(last)));
  }

  /** Everything the loop carries between iterations, for a checkpoint. */
  public record State(int iteration, double[][] pi, double[][] pit, double[][] precision, double[][] secondMoment,
                      double[][] messages, double[][][] moduleA, double[][] previousMeans, double[][] previousPit,
                      List<IterationRecord> history) implements Serializable {}

  /** A copy of the loop's state after the warm-up or an iteration. */
  public State state() {
    return new State(iteration, copy(layers.stream().map(l -> l.pi).toArray(double[][]::new)),
        copy(layers.stream().map(l -> l.pit).toArray(double[][]::new)),
        copy(layers.stream().map(l -> l.precision).toArray(double[][]::new)),
        copy(layers.stream().map(l -> l.secondMoment).toArray(double[][]::new)),
        layers.stream().map(l -> l.moduleB.messageLogOdds()).toArray(double[][]::new),
        layers.stream().map(l -> l.moduleA.state()).toArray(double[][][]::new), copy(previousMeans),
        copy(previousPit), List.copyOf(history));
  }

  /** Continues from a state of a loop with the same settings and network; the w-step is restored separately. */
  public void restore(State state) {
    if (state.pi().length != layers.size()) {
      throw new IllegalArgumentException("checkpoint of " + state.pi().length + " weight layers for a network of "
          + layers.size());
    }
    iteration = state.iteration();
    for (int k = 0; k < layers.size(); k++) {
      LayerState layer = layers.get(k);
      copyInto(state.pi()[k], layer.pi, "pi", k);
      copyInto(state.pit()[k], layer.pit, "pit", k);
      copyInto(state.precision()[k], layer.precision, "precision", k);
      copyInto(state.secondMoment()[k], layer.secondMoment, "second moment", k);
      layer.moduleB.restoreMessages(state.messages()[k]);
      layer.moduleA.restoreState(state.moduleA()[k]);
    }
    previousMeans = copy(state.previousMeans());
    previousPit = copy(state.previousPit());
    history.clear();
    history.addAll(state.history());
  }

  private static void copyInto(double[] source, double[] target, String what, int layer) {
    if (source.length != target.length) {
      throw new IllegalArgumentException("checkpoint holds " + source.length + " values of " + what
          + " for weight layer " + layer + " of " + target.length + " weights");
    }
    System.arraycopy(source, 0, target, 0, target.length);
  }

  /** The first w-step on the prior-mixture precision, then q(rho) refreshed from the warm weights. */
  IterationRecord warmUp() {
    long start = System.nanoTime();
    WStep.Result trained = wStep.run(precisions(), settings.warmUpEpochs());
    double wSeconds = (System.nanoTime() - start) / 1e9;
    long moduleAStart = System.nanoTime();
    Posterior posterior = wStep.posterior();
    for (int k = 0; k < layers.size(); k++) {
      LayerState layer = layers.get(k);
      ModuleA.secondMoment(posterior.means()[k], posterior.variances()[k], layer.secondMoment);
      layer.moduleA.rhoStep(layer.secondMoment, layer.pit, layer.precision);
    }
    double aSeconds = (System.nanoTime() - moduleAStart) / 1e9;
    previousMeans = widen(posterior.means());
    previousPit = copy(layers.stream().map(l -> l.pit).toArray(double[][]::new));
    IterationRecord record = record(trained, aSeconds, 0, wSeconds, new int[layers.size()], Double.NaN, Double.NaN,
        null);
    history.add(record);
    return record;
  }

  /** One outer iteration: B (all layers), then A's s-step and rho-step, then the w-step. */
  IterationRecord iterate() {
    iteration++;
    int[] sweeps = new int[layers.size()];
    double aSeconds = 0;
    double bSeconds = 0;
    for (int k = 0; k < layers.size(); k++) {
      LayerState layer = layers.get(k);
      long t0 = System.nanoTime();
      layer.moduleA.logLikelihoodRatio(layer.secondMoment, layer.llrA);
      long t1 = System.nanoTime();
      MessagePassingReport report = layer.moduleB.update(layer.llrA, layer.llrB, layer.pi);
      long t2 = System.nanoTime();
      layer.moduleA.sStep(layer.pi, layer.llrA, layer.pit);
      layer.moduleA.rhoStep(layer.secondMoment, layer.pit, layer.precision);
      long t3 = System.nanoTime();
      sweeps[k] = report.sweeps();
      aSeconds += (t1 - t0 + t3 - t2) / 1e9;
      bSeconds += (t2 - t1) / 1e9;
    }
    long start = System.nanoTime();
    WStep.Result trained = wStep.run(precisions(), settings.epochsPerIteration());
    double wSeconds = (System.nanoTime() - start) / 1e9;
    long secondMomentStart = System.nanoTime();
    Posterior posterior = wStep.posterior();
    for (int k = 0; k < layers.size(); k++) {
      ModuleA.secondMoment(posterior.means()[k], posterior.variances()[k], layers.get(k).secondMoment);
    }
    aSeconds += (System.nanoTime() - secondMomentStart) / 1e9;
    double[][] pit = layers.stream().map(l -> l.pit).toArray(double[][]::new);
    double pitChange = relativeChange(pit, previousPit);
    double[][] means = widen(posterior.means());
    double meanChange = relativeChange(means, previousMeans);
    previousPit = copy(pit);
    previousMeans = means;
    IterationRecord record = record(trained, aSeconds, bSeconds, wSeconds, sweeps, pitChange, meanChange,
        layers.stream().map(l -> mask(l.pit)).toArray(boolean[][]::new));
    history.add(record);
    return record;
  }

  /** After the last w-step: Module B and the s-step once more, so that the mask matches the final weights. */
  Result finish() {
    double[][] pit = new double[layers.size()][];
    boolean[][] masks = new boolean[layers.size()][];
    for (int k = 0; k < layers.size(); k++) {
      LayerState layer = layers.get(k);
      layer.moduleA.logLikelihoodRatio(layer.secondMoment, layer.llrA);
      layer.moduleB.update(layer.llrA, layer.llrB, layer.pi);
      layer.moduleA.sStep(layer.pi, layer.llrA, layer.pit);
      pit[k] = layer.pit.clone();
      masks[k] = mask(layer.pit);
    }
    return new Result(masks, pit, List.copyOf(history));
  }

  /** A history row; {@code masks} null means nothing is pruned yet (the warm-up). */
  private IterationRecord record(WStep.Result trained, double aSeconds, double bSeconds, double wSeconds,
                                 int[] sweeps, double pitChange, double meanChange, boolean[][] masks) {
    int[] sizes = wStep.layerSizes();
    double[] share = new double[layers.size()];
    long all = 0;
    long active = 0;
    for (int k = 0; k < sizes.length; k++) {
      int kept = masks == null ? sizes[k] : Masks.kept(masks[k]);
      share[k] = (double) kept / sizes[k];
      all += sizes[k];
      active += kept;
    }
    double accuracy = wStep.heldOutAccuracy(masks);
    return new IterationRecord(iteration, trained.meanLoss(), trained.kl(), accuracy, share,
        active == 0 ? Double.POSITIVE_INFINITY : (double) all / active, pitChange, meanChange, sweeps, aSeconds,
        bSeconds, wSeconds, trained.rounds(), trained.bytesMoved());
  }

  private boolean converged(IterationRecord record) {
    return settings.tolerance() > 0 && record.pitChange() < settings.tolerance()
        && record.meanChange() < settings.tolerance();
  }

  private boolean reachedTarget(IterationRecord record) {
    return settings.targetCompression() > 0 && record.compression() >= settings.targetCompression();
  }

  private double[][] precisions() {
    return layers.stream().map(l -> l.precision).toArray(double[][]::new);
  }

  private static boolean[] mask(double[] pit) {
    boolean[] mask = new boolean[pit.length];
    for (int n = 0; n < pit.length; n++) {
      mask[n] = pit[n] > ACTIVE_THRESHOLD;
    }
    return mask;
  }

  /** ||now - before|| / ||before|| over all layers (Euclidean norms). */
  static double relativeChange(double[][] now, double[][] before) {
    double difference = 0;
    double norm = 0;
    for (int k = 0; k < now.length; k++) {
      for (int n = 0; n < now[k].length; n++) {
        double d = now[k][n] - before[k][n];
        difference += d * d;
        norm += before[k][n] * before[k][n];
      }
    }
    return norm == 0 ? (difference == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(difference / norm);
  }

  private static double[][] copy(double[][] arrays) {
    return Arrays.stream(arrays).map(double[]::clone).toArray(double[][]::new);
  }

  private static double[][] widen(float[][] arrays) {
    double[][] wide = new double[arrays.length][];
    for (int k = 0; k < arrays.length; k++) {
      wide[k] = new double[arrays[k].length];
      for (int n = 0; n < arrays[k].length; n++) {
        wide[k][n] = arrays[k][n];
      }
    }
    return wide;
  }
}
