package io.turbovbi.turbo;

import io.turbovbi.mrf.MrfMode;
import io.turbovbi.mrf.MrfParams;
import io.turbovbi.prior.Factorisation;
import io.turbovbi.prior.GammaMixturePrior;
import java.util.List;

/**
 * Settings of the outer loop (DESIGN 2).
 *
 * @param factorisation Module A's factorisation (collapsed by default, meanfield as the ablation)
 * @param priors the Gamma-mixture hyperparameters of each weight layer
 * @param mrfs the support MRF of each weight layer (mode grid, rows or iid)
 * @param warmUpPrior the precision of the warm-up w-step
 * @param warmUpEpochs w-step epochs before the first Module B call
 * @param epochsPerIteration w-step epochs per outer iteration (E)
 * @param maxIterations T_max
 * @param tolerance stop when the relative changes of both pit and mu fall below it (0: never)
 * @param targetCompression free running: stop when all weights / weights kept after unit removal reaches it (0:
 *                          never)
 * @param control how many weights survive each iteration: free, or steered to a target along a schedule (whose
 *                ramp and hold then replace T_max, the tolerance and the free-running target)
 * @param warmUpPatience stop the warm-up when the validation accuracy has not improved for this many epochs, the
 *                       warm-up epochs being the most (0: exactly the warm-up epochs)
 */
public record TurboSettings(Factorisation factorisation, List<GammaMixturePrior> priors, List<MrfParams> mrfs,
                            WarmUpPrior warmUpPrior, int warmUpEpochs, int epochsPerIteration, int maxIterations,
                            double tolerance, double targetCompression, Control control, int warmUpPatience) {
  /** Free-running settings with a fixed warm-up. */
  public TurboSettings(Factorisation factorisation, List<GammaMixturePrior> priors, List<MrfParams> mrfs,
                       WarmUpPrior warmUpPrior, int warmUpEpochs, int epochsPerIteration, int maxIterations,
                       double tolerance, double targetCompression) {
    this(factorisation, priors, mrfs, warmUpPrior, warmUpEpochs, epochsPerIteration, maxIterations, tolerance,
        targetCompression, Control.free(), 0);
  }

  public TurboSettings {
    priors = List.copyOf(priors);
    mrfs = List.copyOf(mrfs);
    if (priors.size() != mrfs.size()) {
      throw new IllegalArgumentException(priors.size() + " layer priors but " + mrfs.size() + " layer MRFs");
    }
    if (warmUpEpochs < 0 || epochsPerIteration < 1 || maxIterations < 0) {
      throw new IllegalArgumentException("need warm-up >= 0, epochs per iteration >= 1 and T_max >= 0, got "
          + warmUpEpochs + ", " + epochsPerIteration + ", " + maxIterations);
    }
    if (!(tolerance >= 0) || !(targetCompression >= 0)) {
      throw new IllegalArgumentException("tolerance and target compression must be >= 0, got " + tolerance + ", "
          + targetCompression);
    }
    if (warmUpPatience < 0) {
      throw new IllegalArgumentException("warm-up patience must be >= 0, got " + warmUpPatience);
    }
  }

  /** The most outer iterations: the ramp and the hold when controlled, else T_max. */
  public int iterations() {
    return control.controlled() ? control.iterations() : maxIterations;
  }

  /** These settings with Module B off in every layer (pi = lambda): the iid ablation. */
  public TurboSettings withModuleBOff() {
    return new TurboSettings(factorisation, priors, mrfs.stream().map(m -> m.withMode(MrfMode.IID)).toList(),
        warmUpPrior, warmUpEpochs, epochsPerIteration, maxIterations, tolerance, targetCompression, control,
        warmUpPatience);
  }
}
