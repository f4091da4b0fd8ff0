package io.turbovbi.spark.train;

import io.turbovbi.nn.Network;
import io.turbovbi.nn.ParamKind;
import io.turbovbi.turbo.Masks;
import io.turbovbi.turbo.Posterior;
import io.turbovbi.turbo.WStep;
import java.util.Arrays;

/**
 * The w-step of Turbo-VBI on a Spark cluster (DESIGN 3): a {@link SparkTrainer} of the variational network whose
 * update holds the KL divergence to N(0, 1/E[rho]) and the log-variance cap; held-out accuracy on the executors.
 */
public final class SparkWStep implements WStep, AutoCloseable {
  private final SparkTrainer trainer;
  private final ShardedData heldOut;
  private final double logVarCap;
  private final int[] weightLayers;

  /**
   * @param heldOut validation data, scored where they are, or null
   * @param logVarCap the cap on log-variances
   */
  public SparkWStep(SparkTrainer trainer, ShardedData heldOut, double logVarCap) {
    this.trainer = trainer;
    this.heldOut = heldOut;
    this.logVarCap = logVarCap;
    this.weightLayers = trainer.network().weightLayers();
  }

  public SparkTrainer trainer() {
    return trainer;
  }

  @Override
  public int[] layerSizes() {
    Network network = trainer.network();
    return Arrays.stream(weightLayers).map(l -> network.block(l, ParamKind.WEIGHT).length()).toArray();
  }

  @Override
  public Result run(double[][] precisions, int epochs) {
    VariationalUpdate update = new VariationalUpdate(precisions, logVarCap);
    SparkTrainer.Outcome outcome = trainer.train(epochs, update);
    return new Result(outcome.meanLoss(), update.kl(trainer.network()).value(trainer.parameters()),
        outcome.seconds(), outcome.rounds(), outcome.bytesMoved());
  }

  @Override
  public Posterior posterior() {
    return Posterior.of(trainer.network(), trainer.parameters());
  }

  @Override
  public double heldOutAccuracy(boolean[][] masks) {
    if (heldOut == null) {
      return Double.NaN;
    }
    float[] params = trainer.parameters();
    return trainer.accuracy(masks == null ? params : Masks.apply(trainer.network(), params, masks), heldOut);
  }

  @Override
  public void close() {
    trainer.close();
  }
}
