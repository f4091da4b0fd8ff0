package io.turbovbi.jobs;

import io.turbovbi.mrf.BpSchedule;
import io.turbovbi.mrf.MrfMode;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.prior.Factorisation;
import io.turbovbi.prior.GammaMixturePrior;
import io.turbovbi.turbo.Control;
import io.turbovbi.turbo.RampSchedule;
import io.turbovbi.turbo.TurboSettings;
import io.turbovbi.turbo.WarmUpPrior;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Turbo-VBI settings as a configuration describes them, for a network with a given number of weight layers. */
final class TurboSetup {
  private TurboSetup() {}

  /**
   * The settings; grid and graph modes at or above loopy BP's critical coupling are refused unless
   * mrf.coupling.override is set, and then reported to {@code warnings}.
   */
  static TurboSettings settings(Config config, int layers, Consumer<String> warnings) {
    double[] a = config.realsPerLayer(ConfigKeys.PRIOR_A, layers);
    double[] b = config.realsPerLayer(ConfigKeys.PRIOR_B, layers);
    double[] abar = config.realsPerLayer(ConfigKeys.PRIOR_ABAR, layers);
    double[] bbar = config.realsPerLayer(ConfigKeys.PRIOR_BBAR, layers);
    String[] modes = config.perLayer(ConfigKeys.MRF_MODE, layers);
    double[] rowP01 = config.realsPerLayer(ConfigKeys.MRF_ROW_P01, layers);
    double[] rowP10 = config.realsPerLayer(ConfigKeys.MRF_ROW_P10, layers);
    double[] colP01 = config.realsPerLayer(ConfigKeys.MRF_COL_P01, layers);
    double[] colP10 = config.realsPerLayer(ConfigKeys.MRF_COL_P10, layers);
    double[] gatePrior = config.realsPerLayer(ConfigKeys.MRF_GATE_PRIOR, layers);
    double[] gateLeak = config.realsPerLayer(ConfigKeys.MRF_GATE_LEAK, layers);
    List<GammaMixturePrior> priors = new ArrayList<>();
    List<MrfParams> mrfs = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      priors.add(new GammaMixturePrior(a[k], b[k], abar[k], bbar[k]));
      MrfParams mrf = new MrfParams(MrfMode.of(modes[k]), rowP01[k], rowP10[k], colP01[k], colP10[k],
          config.real(ConfigKeys.MRF_DAMPING), BpSchedule.of(config.required(ConfigKeys.MRF_SCHEDULE)),
          config.integer(ConfigKeys.MRF_SWEEPS), config.real(ConfigKeys.MRF_TOLERANCE), true, gatePrior[k],
          gateLeak[k]);
      checkCoupling(config, mrf, k, warnings);
      mrfs.add(mrf);
    }
    long graphLayers = mrfs.stream().filter(m -> m.mode() == MrfMode.GRAPH).count();
    if (graphLayers > 0 && graphLayers < layers) {
      throw new ConfigException("mrf.mode=graph links the layers of the network: give it for every weight layer or "
          + "for none, got " + String.join(",", modes));
    }
    return new TurboSettings(Factorisation.of(config.required(ConfigKeys.FACTORISATION)), priors, mrfs,
        WarmUpPrior.of(config.required(ConfigKeys.WARMUP_PRIOR)), config.integer(ConfigKeys.WARMUP_EPOCHS),
        config.integer(ConfigKeys.TURBO_EPOCHS), config.integer(ConfigKeys.TURBO_ITERATIONS),
        config.real(ConfigKeys.TURBO_TOLERANCE), config.real(ConfigKeys.TURBO_TARGET), control(config),
        config.integer(ConfigKeys.WARMUP_PATIENCE));
  }

  /** DESIGN 1, coupling rule: 2-D grids must stay below loopy BP's critical coupling. */
  private static void checkCoupling(Config config, MrfParams mrf, int layer, Consumer<String> warnings) {
    String reason = mrf.supercriticalReason();
    if (reason == null) {
      if (mrf.mode() == MrfMode.GRID && !mrf.sameLambda()) {
        throw new ConfigException("grid mode needs rows and columns with the same lambda = p01 / (p01 + p10) (the "
            + "node field h0 = ln(p10 / p01) removes the prior both count), weight layer " + (layer + 1) + " has "
            + mrf.rowLambda() + " and " + mrf.colP01() / (mrf.colP01() + mrf.colP10()));
      }
      return;
    }
    String where = "weight layer " + (layer + 1) + ": " + reason;
    if (!config.flag(ConfigKeys.MRF_COUPLING_OVERRIDE)) {
      throw new ConfigException(where + ". Choose p01 and p10 below it (e.g. mrf.row.p01=0.25 mrf.row.p10=0.625 "
          + "mrf.col.p01=0.25 mrf.col.p10=0.625), use mrf.mode=rows, or set mrf.coupling.override=true to run anyway");
    }
    warnings.accept(where + "; running anyway (mrf.coupling.override=true)");
  }

  /** The compression control a configuration asks for; a target run needs exactly one target. */
  static Control control(Config config) {
    if (config.required(ConfigKeys.TURBO_CONTROL).equals("free")) {
      return Control.free();
    }
    double compression = config.real(ConfigKeys.TURBO_TARGET);
    double flops = config.real(ConfigKeys.TURBO_TARGET_FLOPS);
    if ((compression > 0) == (flops > 0)) {
      throw new ConfigException("turbo.control=target needs exactly one target: turbo.target.compression (a ratio "
          + ">= 1) or turbo.target.flops (FLOPs per sample); got " + ConfigKeys.TURBO_TARGET.name() + "="
          + compression + " and " + ConfigKeys.TURBO_TARGET_FLOPS.name() + "=" + flops
          + " (or set turbo.control=free)");
    }
    if (compression > 0 && compression < 1) {
      throw new ConfigException("turbo.target.compression must be >= 1 (all weights / kept weights), got "
          + compression);
    }
    return new Control(compression > 0 ? Control.Kind.COMPRESSION : Control.Kind.FLOPS,
        compression > 0 ? compression : flops, RampSchedule.of(config.required(ConfigKeys.TURBO_SCHEDULE)),
        config.integer(ConfigKeys.TURBO_RAMP), config.integer(ConfigKeys.TURBO_HOLD),
        config.real(ConfigKeys.TURBO_GUARD));
  }
}
