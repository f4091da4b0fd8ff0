package io.turbovbi.turbo;

import io.turbovbi.bayes.GaussianKl;
import io.turbovbi.bayes.LogVarCap;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.DivergenceException;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.Optimizer;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.nn.Trainer;
import io.turbovbi.nn.Update;
import java.util.List;

/**
 * The w-step on one JVM: mini-batch training of a variational network with the KL term to N(0, 1/E[rho]) and the
 * log-variance cap, over a thread-parallel {@link GradientEngine}. Parameters and optimiser state persist across
 * calls; epochs are numbered over the whole run so that every epoch shuffles and draws noise afresh.
 */
public final class LocalWStep implements WStep, AutoCloseable {
  private final Network network;
  private final float[] params;
  private final LabeledSamples train;
  private final LabeledSamples heldOut;
  private final GradientEngine engine;
  private final GaussianKl kl;
  private final Trainer trainer;
  private final int[] weightLayers;
  private int epochsDone;

  /**
   * @param params the initial parameters; trained in place
   * @param heldOut validation data for {@link #heldOutAccuracy}, or null
   */
  public LocalWStep(Network network, float[] params, LabeledSamples train, LabeledSamples heldOut,
                    Optimizer optimizer, int batchSize, int threads, long seed, double logVarCap) {
    this.network = network;
    this.params = params;
    this.train = train;
    this.heldOut = heldOut;
    this.engine = new GradientEngine(network, threads, Math.max(batchSize, 256));
    this.kl = new GaussianKl(network);
    this.trainer = new Trainer(engine,
        new Update(optimizer, kl, List.of(new LogVarCap(network, logVarCap)), engine), batchSize, seed);
    this.weightLayers = network.weightLayers();
  }

  @Override
  public int[] layerSizes() {
    int[] sizes = new int[weightLayers.length];
    for (int k = 0; k < sizes.length; k++) {
      sizes[k] = network.block(weightLayers[k], ParamKind.WEIGHT).length();
    }
    return sizes;
  }

  @Override
  public Result run(double[][] precisions, int epochs) {
    for (int k = 0; k < precisions.length; k++) {
      kl.setPrecision(k, precisions[k]);
    }
    Trainer.EpochResult last = null;
    double seconds = 0;
    for (int e = 0; e < epochs; e++) {
      last = trainer.epoch(params, train.features(), train.labels(), epochsDone++);
      seconds += last.seconds();
      DivergenceException.check(network, params, last.meanLoss(), "epoch " + epochsDone);
    }
    return new Result(last == null ? Double.NaN : last.meanLoss(), kl.value(params), seconds, 0, 0);
  }

  @Override
  public Posterior posterior() {
    return Posterior.of(network, params);
  }

  @Override
  public double heldOutAccuracy(boolean[][] masks) {
    if (heldOut == null) {
      return Double.NaN;
    }
    float[] evaluated = masks == null ? params : Masks.apply(network, params, masks);
    return engine.evaluate(evaluated, heldOut.features(), heldOut.labels(), 0, heldOut.size()).accuracy();
  }

  public float[] parameters() {
    return params;
  }

  @Override
  public void close() {
    engine.close();
  }
}
