package io.turbovbi.turbo;

import io.turbovbi.mrf.LayerGeometry;
import io.turbovbi.mrf.MessagePassingReport;
import io.turbovbi.mrf.SupportPrior;
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
 * precision {@link WarmUpPrior} chooses (a fixed number of epochs, or until the validation accuracy stops
 * improving); q(rho) is then refreshed from the warm weights before Module B's first call.
 *
 * <p>Each outer iteration t: the s-step (with the {@link CompressionController}'s offset when the size is
 * controlled) and the rho-step on the evidence of the last w-step, then the w-step; then the rho-step, Module A's
 * LLR and Module B once more on the new weights, and the mask (pit &gt; 0.5) they give is the one the history
 * records and, after the last iteration, the final mask: what the history says is what the run returns.
 */
public final class TurboVbi {
  /** The support of a weight is active in the final mask when its posterior share q(s = 1) exceeds this. */
  public static final double ACTIVE_THRESHOLD = 0.5;

  private final TurboSettings settings;
  private final WStep wStep;
  private final MaskCost maskCost;
  private final CompressionController controller;
  private final long allWeights;
  private final SupportPrior moduleB;
  private final List<LayerState> layers = new ArrayList<>();
  private final List<IterationRecord> history = new ArrayList<>();
  private int iteration;
  private double[][] previousMeans;
  private double[][] previousPit;
  private boolean[][] currentMasks;
  private MaskCost.Kept currentKept;

  /** Per weight layer: its Module A and the messages between it and Module B. */
  private static final class LayerState {
    final ModuleA moduleA;
    final double[] pi;
    final double[] pit;
    final double[] llrA;
    final double[] llrB;
    final double[] evidence;
    final double[] precision;
    final double[] secondMoment;

    LayerState(ModuleA moduleA, int size) {
      this.moduleA = moduleA;
      this.pi = new double[size];
      this.pit = new double[size];
      this.llrA = new double[size];
      this.llrB = new double[size];
      this.evidence = new double[size];
      this.precision = new double[size];
      this.secondMoment = new double[size];
    }
  }

  /** The final mask and posterior support probabilities. */
  public record Result(boolean[][] masks, double[][] pit, List<IterationRecord> history) {}

  /** A loop whose sizes count no unit removal, a weight costing 2 FLOPs (tests, regression). */
  public TurboVbi(TurboSettings settings, List<WeightShape> shapes, WStep wStep) {
    this(settings, shapes, wStep, MaskCost.withoutRemoval(shapes.stream().mapToLong(s -> 2).toArray()));
  }

  /**
   * A loop on layers known only by their weight shapes: a dense layer's inputs count as hidden units (graph mode
   * then has no grids over an image input).
   *
   * @param maskCost what a mask keeps after unit removal: the sizes the history reports and the controller steers
   */
  public TurboVbi(TurboSettings settings, List<WeightShape> shapes, WStep wStep, MaskCost maskCost) {
    this(settings, wStep, maskCost, geometries(shapes));
  }

  /**
   * A loop on layers whose support geometry is known (graph mode needs the shape of a dense layer's input).
   *
   * @param geometries each weight layer's support geometry, in network order (see {@link SupportGeometries#of})
   * @param maskCost   what a mask keeps after unit removal: the sizes the history reports and the controller steers
   */
  public static TurboVbi onGeometries(TurboSettings settings, List<LayerGeometry> geometries, WStep wStep,
                                      MaskCost maskCost) {
    return new TurboVbi(settings, wStep, maskCost, geometries);
  }

  private TurboVbi(TurboSettings settings, WStep wStep, MaskCost maskCost, List<LayerGeometry> geometries) {
    if (geometries.size() != settings.priors().size()) {
      throw new IllegalArgumentException("the network has " + geometries.size() + " weight layers but the settings "
          + "describe " + settings.priors().size());
    }
    int[] sizes = wStep.layerSizes();
    this.settings = settings;
    this.wStep = wStep;
    this.maskCost = maskCost;
    this.allWeights = Arrays.stream(sizes).asLongStream().sum();
    this.controller = settings.control().controlled()
        ? new CompressionController(settings.control(), maskCost, sizes) : null;
    for (int k = 0; k < geometries.size(); k++) {
      if (geometries.get(k).count() != sizes[k]) {
        throw new IllegalArgumentException("weight layer " + k + " has " + sizes[k] + " weights in the w-step but "
            + geometries.get(k).count() + " in its shape");
      }
    }
    this.moduleB = SupportPrior.create(geometries, settings.mrfs());
    for (int k = 0; k < geometries.size(); k++) {
      int count = geometries.get(k).count();
      double share = moduleB.zeroEvidenceMarginal(k);
      LayerState layer = new LayerState(ModuleA.create(settings.factorisation(), settings.priors().get(k), count,
          share), count);
      Arrays.fill(layer.pi, share);
      Arrays.fill(layer.pit, share);
      Arrays.fill(layer.precision, settings.warmUpPrior().precision(settings.priors().get(k), share));
      layers.add(layer);
    }
  }

  /** Geometries of layers known by their weight shapes only: dense inputs taken as hidden units. */
  private static List<LayerGeometry> geometries(List<WeightShape> shapes) {
    return shapes.stream().map(s -> s.convolutional() ? LayerGeometry.conv(s.outputs(), s.inputs(), s.kernel())
        : LayerGeometry.dense(s.outputs(), s.inputs())).toList();
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
    if (iteration >= settings.iterations()) {
      return true;
    }
    IterationRecord last = history.get(history.size() - 1);
    return !settings.control().controlled() && iteration > 0 && (converged(last) || reachedTarget(last));
  }

  /** Everything the loop carries between iterations, for a checkpoint. */
  public record State(int iteration, double[][] pi, double[][] pit, double[][] precision, double[][] secondMoment,
                      double[][] messages, double[][][] moduleA, double[][] previousMeans, double[][] previousPit,
                      double[] controller, List<IterationRecord> history) implements Serializable {}

  /** A copy of the loop's state after the warm-up or an iteration. */
  public State state() {
    return new State(iteration, copy(layers.stream().map(l -> l.pi).toArray(double[][]::new)),
        copy(layers.stream().map(l -> l.pit).toArray(double[][]::new)),
        copy(layers.stream().map(l -> l.precision).toArray(double[][]::new)),
        copy(layers.stream().map(l -> l.secondMoment).toArray(double[][]::new)),
        moduleB.messageLogOdds(),
        layers.stream().map(l -> l.moduleA.state()).toArray(double[][][]::new), copy(previousMeans),
        copy(previousPit), controller == null ? new double[0] : controller.state(), List.copyOf(history));
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
      layer.moduleA.restoreState(state.moduleA()[k]);
      layer.moduleA.logLikelihoodRatio(layer.secondMoment, layer.llrA);
      layer.moduleA.evidence(layer.pi, layer.llrA, layer.evidence);
    }
    moduleB.restoreMessages(state.messages());
    if (controller != null) {
      controller.restore(state.controller());
    }
    previousMeans = copy(state.previousMeans());
    previousPit = copy(state.previousPit());
    currentMasks = iteration == 0 ? null : layers.stream().map(l -> mask(l.pit)).toArray(boolean[][]::new);
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

  /**
   * The warm-up w-step (fixed epochs, or until the validation accuracy has not improved for the patience), then
   * q(rho) refreshed from the warm weights and Module B's first call.
   */
  IterationRecord warmUp() {
    long start = System.nanoTime();
    WStep.Result trained = new WStep.Result(Double.NaN, Double.NaN, 0, 0, 0);
    int epochs = 0;
    double accuracy = Double.NaN;
    if (settings.warmUpPatience() == 0) {
      if (settings.warmUpEpochs() > 0) {
        trained = wStep.run(precisions(), settings.warmUpEpochs());
      }
      epochs = settings.warmUpEpochs();
      accuracy = wStep.heldOutAccuracy(null);
    } else {
      WarmUpPatience patience = new WarmUpPatience(settings.warmUpEpochs(), settings.warmUpPatience());
      while (patience.another()) {
        trained = trained.then(wStep.run(precisions(), 1));
        accuracy = wStep.heldOutAccuracy(null);
        patience.record(accuracy);
      }
      epochs = patience.epochs();
    }
    double wSeconds = (System.nanoTime() - start) / 1e9;
    Timing timing = new Timing();
    int[] sweeps = refreshEvidence(timing);
    previousMeans = widen(wStep.posterior().means());
    previousPit = copy(layers.stream().map(l -> l.pit).toArray(double[][]::new));
    currentMasks = null;
    boolean[][] all = layers.stream().map(l -> allTrue(l.pit.length)).toArray(boolean[][]::new);
    IterationRecord record = record(trained, epochs, timing, wSeconds, sweeps, Double.NaN, Double.NaN, all,
        maskCost.afterRemoval(all), 0, accuracy, accuracy, false);
    history.add(record);
    return record;
  }

  /**
   * One outer iteration: the s-step (at the offset the controller chooses for this iteration) and the rho-step on
   * the last evidence, the w-step, then the evidence of the new weights and the mask it gives.
   */
  IterationRecord iterate() {
    iteration++;
    Timing timing = new Timing();
    long t0 = System.nanoTime();
    sStep();
    for (LayerState layer : layers) {
      layer.moduleA.rhoStep(layer.secondMoment, layer.pit, layer.precision);
    }
    timing.moduleA += (System.nanoTime() - t0) / 1e9;
    long start = System.nanoTime();
    WStep.Result trained = wStep.run(precisions(), settings.epochsPerIteration());
    double wSeconds = (System.nanoTime() - start) / 1e9;
    int[] sweeps = refreshEvidence(timing);
    long t1 = System.nanoTime();
    double offset = sStep();
    timing.moduleA += (System.nanoTime() - t1) / 1e9;
    double[][] pit = layers.stream().map(l -> l.pit).toArray(double[][]::new);
    double pitChange = relativeChange(pit, previousPit);
    double[][] means = widen(wStep.posterior().means());
    double meanChange = relativeChange(means, previousMeans);
    previousPit = copy(pit);
    previousMeans = means;
    double maskedAccuracy = wStep.heldOutAccuracy(currentMasks);
    boolean tripped = controller != null && controller.guardTrips(iteration, maskedAccuracy,
        history.get(0).heldOutAccuracy(), currentKept);
    IterationRecord record = record(trained, settings.epochsPerIteration(), timing, wSeconds, sweeps, pitChange,
        meanChange, currentMasks, currentKept, offset, maskedAccuracy, wStep.heldOutAccuracy(null), tripped);
    if (tripped) {
      // DESIGN 2, accuracy guard: back to the last size that passed, on the same evidence
      sStep();
    }
    history.add(record);
    return record;
  }

  /**
   * The s-step on the current evidence: free running, logit(pit) = logit(pi) + LLR_A; controlled, with the offset
   * whose mask meets this iteration's scheduled cost. Sets the current mask; returns the offset.
   */
  private double sStep() {
    if (controller == null) {
      for (LayerState layer : layers) {
        layer.moduleA.sStep(layer.pi, layer.llrA, layer.pit);
      }
      currentMasks = layers.stream().map(l -> mask(l.pit)).toArray(boolean[][]::new);
      currentKept = maskCost.afterRemoval(currentMasks);
      return 0;
    }
    CompressionController.Offset offset = controller.solve(
        layers.stream().map(l -> l.evidence).toArray(double[][]::new), controller.scheduledCost(iteration));
    for (int k = 0; k < layers.size(); k++) {
      LayerState layer = layers.get(k);
      // DESIGN 2, compression control: beta added to every prior log-odds (scaled by FLOPs for a FLOPs target)
      layer.moduleA.sStep(layer.pi, layer.llrA, controller.shift(offset.beta(), k), layer.pit);
    }
    currentMasks = offset.masks();
    currentKept = offset.kept();
    return offset.beta();
  }

  /**
   * After a w-step: q(rho) from the new weights (so that the mean-field LLR sees them), Module A's LLR, Module B,
   * and the evidence logit(pi) + LLR_A of every weight. Returns Module B's sweeps per layer.
   */
  private int[] refreshEvidence(Timing timing) {
    Posterior posterior = wStep.posterior();
    long t0 = System.nanoTime();
    for (int k = 0; k < layers.size(); k++) {
      LayerState layer = layers.get(k);
      ModuleA.secondMoment(posterior.means()[k], posterior.variances()[k], layer.secondMoment);
      layer.moduleA.rhoStep(layer.secondMoment, layer.pit, layer.precision);
      layer.moduleA.logLikelihoodRatio(layer.secondMoment, layer.llrA);
    }
    long t1 = System.nanoTime();
    MessagePassingReport[] reports = moduleB.update(layers.stream().map(l -> l.llrA).toArray(double[][]::new),
        layers.stream().map(l -> l.llrB).toArray(double[][]::new),
        layers.stream().map(l -> l.pi).toArray(double[][]::new));
    long t2 = System.nanoTime();
    int[] sweeps = new int[layers.size()];
    for (int k = 0; k < layers.size(); k++) {
      LayerState layer = layers.get(k);
      layer.moduleA.evidence(layer.pi, layer.llrA, layer.evidence);
      sweeps[k] = reports[k].sweeps();
    }
    long t3 = System.nanoTime();
    timing.moduleA += (t1 - t0 + t3 - t2) / 1e9;
    timing.moduleB += (t2 - t1) / 1e9;
    return sweeps;
  }

  /** The mask of the last iteration (the evidence after its w-step), with its pit. */
  Result finish() {
    double[][] pit = layers.stream().map(l -> l.pit.clone()).toArray(double[][]::new);
    boolean[][] masks = currentMasks == null ? layers.stream().map(l -> allTrue(l.pit.length))
        .toArray(boolean[][]::new) : Arrays.stream(currentMasks).map(boolean[]::clone).toArray(boolean[][]::new);
    return new Result(masks, pit, List.copyOf(history));
  }

  /** Seconds spent in Module A and Module B during one row. */
  private static final class Timing {
    double moduleA;
    double moduleB;
  }

  private IterationRecord record(WStep.Result trained, int epochs, Timing timing, double wSeconds, int[] sweeps,
                                 double pitChange, double meanChange, boolean[][] masks, MaskCost.Kept kept,
                                 double offset, double maskedAccuracy, double denseAccuracy, boolean tripped) {
    int[] sizes = wStep.layerSizes();
    double[] share = new double[layers.size()];
    long active = 0;
    for (int k = 0; k < sizes.length; k++) {
      int layerKept = Masks.kept(masks[k]);
      share[k] = (double) layerKept / sizes[k];
      active += layerKept;
    }
    return new IterationRecord(iteration, epochs, trained.meanLoss(), trained.kl(), maskedAccuracy, denseAccuracy,
        share, ratio(allWeights, active), ratio(allWeights, kept.weights()), kept.flops(), offset, tripped,
        pitChange, meanChange, sweeps, timing.moduleA, timing.moduleB, wSeconds, trained.rounds(),
        trained.bytesMoved());
  }

  private static double ratio(long all, long kept) {
    return kept == 0 ? Double.POSITIVE_INFINITY : (double) all / kept;
  }

  private boolean converged(IterationRecord record) {
    return settings.tolerance() > 0 && record.pitChange() < settings.tolerance()
        && record.meanChange() < settings.tolerance();
  }

  private boolean reachedTarget(IterationRecord record) {
    return settings.targetCompression() > 0 && record.prunedCompression() >= settings.targetCompression();
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

  private static boolean[] allTrue(int size) {
    boolean[] all = new boolean[size];
    Arrays.fill(all, true);
    return all;
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
