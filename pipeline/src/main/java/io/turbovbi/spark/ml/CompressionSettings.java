package io.turbovbi.spark.ml;

import io.turbovbi.compress.RemovalAwareCost;
import io.turbovbi.mrf.BpSchedule;
import io.turbovbi.mrf.MrfMode;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.prior.Factorisation;
import io.turbovbi.prior.GammaMixturePrior;
import io.turbovbi.spark.pipeline.CompressionPipeline;
import io.turbovbi.spark.train.SparkTrainer;
import io.turbovbi.turbo.CompressionController;
import io.turbovbi.turbo.Control;
import io.turbovbi.turbo.RampSchedule;
import io.turbovbi.turbo.TurboSettings;
import io.turbovbi.turbo.WarmUpPrior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of a {@link CompressionPipeline} as a set of {@link TurboVbiParams} gives them, for one network: the
 * one place where settings become the pipeline's, for the estimator and for the compress job alike. Messages name a
 * setting as {@code names} says (the param's name, or the job's configuration key).
 */
public final class CompressionSettings {
  private CompressionSettings() {}

  private static final Logger LOG = LoggerFactory.getLogger(CompressionSettings.class);

  /**
   * {@link #of(TurboVbiParams, String, Network, UnaryOperator, Consumer)} with messages naming the params and
   * warnings to the log.
   */
  static CompressionPipeline.Settings of(TurboVbiParams params, String description, Network network) {
    return of(params, description, network, UnaryOperator.identity(), LOG::warn);
  }

  /**
   * @param description the network's description (the network param, or the one read from a starting network)
   * @param network the deterministic network it describes, on the data's shape and classes
   * @param names the name of a param in messages
   * @param warnings told of settings that run against advice (a coupling override)
   * @throws IllegalArgumentException if the params do not fit the network (per-layer lengths, an unreachable target,
   *     a support prior at or above the critical coupling without the override)
   */
  public static CompressionPipeline.Settings of(TurboVbiParams params, String description, Network network,
                                                UnaryOperator<String> names, Consumer<String> warnings) {
    OptimizerSettings optimizer = new OptimizerSettings(params.$(params.optimizer()),
        params.doubleValue(params.learningRate()), params.doubleValue(params.logVarLearningRate()),
        params.doubleValue(params.momentum()));
    TurboSettings turbo = turbo(params, network.weightLayers().length, names, warnings);
    if (turbo.control().controlled()) {
      // Fails now, with the reason, if the target cannot be met on this network.
      new CompressionController(turbo.control(), new RemovalAwareCost(network),
          network.weightShapes().stream().mapToInt(WeightShape::count).toArray());
    }
    SparkTrainer.Settings trainer = new SparkTrainer.Settings(
        SparkTrainer.Mode.valueOf(params.$(params.trainingMode()).toUpperCase(Locale.ROOT)),
        params.intValue(params.batchSize()), params.intValue(params.localSteps()),
        params.intValue(params.aggregationDepth()), params.intValue(params.taskThreads()));
    long magnitudeKeep = Math.max(1, Math.round(network.weightCount()
        / params.doubleValue(params.magnitudeCompression())));
    int threads = params.intValue(params.threads());
    return new CompressionPipeline.Settings(
        CompressionPipeline.Method.valueOf(params.getMethod().toUpperCase(Locale.ROOT)), description,
        network.channels(), network.height(), network.width(), network.classes(),
        params.doubleValue(params.logVarInit()), params.doubleValue(params.logVarCap()), turbo, trainer, optimizer,
        params.intValue(params.magnitudeEpochs()), magnitudeKeep, params.intValue(params.fineTuneEpochs()),
        new OptimizerSettings(optimizer.kind(), params.doubleValue(params.fineTuneLearningRate()), 0,
            optimizer.momentum()),
        params.getSeed(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
  }

  /**
   * The Turbo-VBI settings of the params for a network of {@code layers} weight layers; grid and graph modes at or
   * above loopy BP's critical coupling are refused unless the override is set, and then reported to
   * {@code warnings}.
   */
  public static TurboSettings turbo(TurboVbiParams params, int layers, UnaryOperator<String> names,
                                    Consumer<String> warnings) {
    double[] a = perLayer(params, params.priorA(), layers, names);
    double[] b = perLayer(params, params.priorB(), layers, names);
    double[] abar = perLayer(params, params.priorAbar(), layers, names);
    double[] bbar = perLayer(params, params.priorBbar(), layers, names);
    String[] modes = perLayer(params.$(params.mrfMode()).split(","), params.mrfMode(), layers, names);
    double[] rowP01 = perLayer(params, params.rowP01(), layers, names);
    double[] rowP10 = perLayer(params, params.rowP10(), layers, names);
    double[] colP01 = perLayer(params, params.colP01(), layers, names);
    double[] colP10 = perLayer(params, params.colP10(), layers, names);
    double[] gatePrior = perLayer(params, params.gatePrior(), layers, names);
    double[] gateLeak = perLayer(params, params.gateLeak(), layers, names);
    List<GammaMixturePrior> priors = new ArrayList<>();
    List<MrfParams> mrfs = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      priors.add(new GammaMixturePrior(a[k], b[k], abar[k], bbar[k]));
      MrfParams mrf = new MrfParams(MrfMode.of(modes[k].trim()), rowP01[k], rowP10[k], colP01[k], colP10[k],
          params.doubleValue(params.mrfDamping()), BpSchedule.of(params.$(params.mrfSchedule())),
          params.intValue(params.mrfSweeps()), params.doubleValue(params.mrfTolerance()), true, gatePrior[k],
          gateLeak[k]);
      checkCoupling(params, mrf, k, names, warnings);
      mrfs.add(mrf);
    }
    long graphLayers = mrfs.stream().filter(m -> m.mode() == MrfMode.GRAPH).count();
    if (graphLayers > 0 && graphLayers < layers) {
      throw new IllegalArgumentException(names.apply(params.mrfMode().name()) + "=graph links the layers of the "
          + "network: give it for every weight layer or for none, got " + params.$(params.mrfMode()));
    }
    return new TurboSettings(Factorisation.of(params.$(params.factorisation())), priors, mrfs,
        WarmUpPrior.of(params.$(params.warmUpPrior())), params.intValue(params.warmUpEpochs()),
        params.intValue(params.epochsPerIteration()), params.intValue(params.iterations()),
        params.doubleValue(params.tolerance()), params.getTargetCompression(), control(params, names),
        params.intValue(params.warmUpPatience()));
  }

  /** DESIGN 1, coupling rule: 2-D grids must stay below loopy BP's critical coupling. */
  private static void checkCoupling(TurboVbiParams params, MrfParams mrf, int layer, UnaryOperator<String> names,
                                    Consumer<String> warnings) {
    String reason = mrf.supercriticalReason();
    if (reason == null) {
      if (mrf.mode() == MrfMode.GRID && !mrf.sameLambda()) {
        throw new IllegalArgumentException("grid mode needs rows and columns with the same lambda = p01 / (p01 + "
            + "p10) (the node field h0 = ln(p10 / p01) removes the prior both count), weight layer " + (layer + 1)
            + " has " + mrf.rowLambda() + " and " + mrf.colP01() / (mrf.colP01() + mrf.colP10()));
      }
      return;
    }
    String where = "weight layer " + (layer + 1) + ": " + reason;
    String override = names.apply(params.mrfCouplingOverride().name());
    if (!Boolean.TRUE.equals(params.$(params.mrfCouplingOverride()))) {
      throw new IllegalArgumentException(where + ". Choose p01 and p10 below it (e.g. "
          + names.apply(params.rowP01().name()) + "=0.25 " + names.apply(params.rowP10().name()) + "=0.625 "
          + names.apply(params.colP01().name()) + "=0.25 " + names.apply(params.colP10().name()) + "=0.625), use "
          + names.apply(params.mrfMode().name()) + "=rows, or set " + override + "=true to run anyway");
    }
    warnings.accept(where + "; running anyway (" + override + "=true)");
  }

  /** A per-layer param's values: one for every layer, or one per layer. */
  private static double[] perLayer(TurboVbiParams params, DoubleArrayParam param, int layers,
                                   UnaryOperator<String> names) {
    double[] values = params.$(param);
    Double[] boxed = perLayer(Arrays.stream(values).boxed().toArray(Double[]::new), param, layers, names);
    return Arrays.stream(boxed).mapToDouble(Double::doubleValue).toArray();
  }

  private static <T> T[] perLayer(T[] values, Param<?> param, int layers, UnaryOperator<String> names) {
    if (values.length == 1) {
      T[] all = Arrays.copyOf(values, layers);
      Arrays.fill(all, values[0]);
      return all;
    }
    if (values.length != layers) {
      throw new IllegalArgumentException(names.apply(param.name()) + " lists " + values.length + " values but the "
          + "network has " + layers + " weight layers");
    }
    return values;
  }

  /** The compression control the params ask for; a target run needs exactly one target. */
  static Control control(TurboVbiParams params, UnaryOperator<String> names) {
    if (params.$(params.control()).equals("free")) {
      return Control.free();
    }
    double compression = params.getTargetCompression();
    double flops = params.doubleValue(params.targetFlops());
    String control = names.apply(params.control().name());
    String compressionName = names.apply(params.targetCompression().name());
    String flopsName = names.apply(params.targetFlops().name());
    if ((compression > 0) == (flops > 0)) {
      throw new IllegalArgumentException(control + "=target needs exactly one target: " + compressionName
          + " (a ratio >= 1) or " + flopsName + " (FLOPs per sample); got " + compressionName + "=" + compression
          + " and " + flopsName + "=" + flops + " (or set " + control + "=free)");
    }
    if (compression > 0 && compression < 1) {
      throw new IllegalArgumentException(compressionName + " must be >= 1 (all weights / kept weights), got "
          + compression);
    }
    return new Control(compression > 0 ? Control.Kind.COMPRESSION : Control.Kind.FLOPS,
        compression > 0 ? compression : flops, RampSchedule.of(params.$(params.schedule())),
        params.intValue(params.ramp()), params.intValue(params.hold()), params.doubleValue(params.guard()));
  }
}
