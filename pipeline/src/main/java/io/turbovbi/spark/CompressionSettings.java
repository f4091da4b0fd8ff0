package io.turbovbi.spark;

import io.turbovbi.compress.RemovalAwareCost;
import io.turbovbi.data.ImageShape;
import io.turbovbi.mrf.BpSchedule;
import io.turbovbi.mrf.MrfMode;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.OptimizerSettings;
import io.turbovbi.nn.WeightShape;
import io.turbovbi.prior.Factorisation;
import io.turbovbi.prior.GammaMixturePrior;
import io.turbovbi.turbo.CompressionController;
import io.turbovbi.turbo.Control;
import io.turbovbi.turbo.RampSchedule;
import io.turbovbi.turbo.TurboSettings;
import io.turbovbi.turbo.WarmUpPrior;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The settings of a {@link CompressionPipeline} as a set of {@link TurboVbiParams} gives them, for one network. */
final class CompressionSettings {
  private CompressionSettings() {}

  /**
   * @param description the network's description (the network param, or the one read from a starting network)
   * @param network the deterministic network it describes, on the data's shape and classes
   * @throws IllegalArgumentException if the params do not fit the network (per-layer lengths, an unreachable target)
   */
  static CompressionPipeline.Settings of(TurboVbiParams params, String description, Network network) {
    OptimizerSettings optimizer = new OptimizerSettings(params.$(params.optimizer()),
        params.doubleValue(params.learningRate()), params.doubleValue(params.logVarLearningRate()),
        params.doubleValue(params.momentum()));
    TurboSettings turbo = turbo(params, network.weightLayers().length);
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

  static TurboSettings turbo(TurboVbiParams params, int layers) {
    double[] a = params.perLayerValues(params.priorA(), layers);
    double[] b = params.perLayerValues(params.priorB(), layers);
    double[] abar = params.perLayerValues(params.priorAbar(), layers);
    double[] bbar = params.perLayerValues(params.priorBbar(), layers);
    String[] modes = params.mrfModes(layers);
    double[] rowP01 = params.perLayerValues(params.rowP01(), layers);
    double[] rowP10 = params.perLayerValues(params.rowP10(), layers);
    double[] colP01 = params.perLayerValues(params.colP01(), layers);
    double[] colP10 = params.perLayerValues(params.colP10(), layers);
    List<GammaMixturePrior> priors = new ArrayList<>();
    List<MrfParams> mrfs = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      priors.add(new GammaMixturePrior(a[k], b[k], abar[k], bbar[k]));
      mrfs.add(new MrfParams(MrfMode.of(modes[k]), rowP01[k], rowP10[k], colP01[k], colP10[k],
          params.doubleValue(params.mrfDamping()), BpSchedule.of(params.$(params.mrfSchedule())),
          params.intValue(params.mrfSweeps()), params.doubleValue(params.mrfTolerance()), true));
    }
    return new TurboSettings(Factorisation.of(params.$(params.factorisation())), priors, mrfs,
        WarmUpPrior.of(params.$(params.warmUpPrior())), params.intValue(params.warmUpEpochs()),
        params.intValue(params.epochsPerIteration()), params.intValue(params.iterations()),
        params.doubleValue(params.tolerance()), params.getTargetCompression(), control(params),
        params.intValue(params.warmUpPatience()));
  }

  /** The compression control the params ask for; a target run needs exactly one target. */
  static Control control(TurboVbiParams params) {
    if (params.$(params.control()).equals("free")) {
      return Control.free();
    }
    double compression = params.getTargetCompression();
    double flops = params.doubleValue(params.targetFlops());
    if ((compression > 0) == (flops > 0)) {
      throw new IllegalArgumentException("control=target needs exactly one target: targetCompression (a ratio >= 1) "
          + "or targetFlops (FLOPs per sample); got targetCompression=" + compression + " and targetFlops=" + flops
          + " (or set control=free)");
    }
    if (compression > 0 && compression < 1) {
      throw new IllegalArgumentException("targetCompression must be >= 1 (all weights / kept weights), got "
          + compression);
    }
    return new Control(compression > 0 ? Control.Kind.COMPRESSION : Control.Kind.FLOPS,
        compression > 0 ? compression : flops, RampSchedule.of(params.$(params.schedule())),
        params.intValue(params.ramp()), params.intValue(params.hold()), params.doubleValue(params.guard()));
  }
}
