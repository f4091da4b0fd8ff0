package io.turbovbi.turbo;

/**
 * The w-step of Turbo-VBI (DESIGN 2): fits q(w) by stochastic gradient on the data term plus the KL divergence to
 * N(0, 1/E[rho_n]). The outer loop does not care where it runs: on one JVM or spread over a Spark cluster.
 */
public interface WStep {
  /**
   * What one call of {@link #run} did: the mean loss of its last epoch, the KL divergence at its end, its time, and
   * for a distributed w-step the synchronisation rounds and the bytes they moved (0 on one JVM).
   */
  record Result(double meanLoss, double kl, double seconds, int rounds, long bytesMoved) {
    /** This call followed by {@code next}: the loss and KL of the later one, time, rounds and bytes added up. */
    public Result then(Result next) {
      return new Result(next.meanLoss, next.kl, seconds + next.seconds, rounds + next.rounds,
          bytesMoved + next.bytesMoved);
    }
  }

  /** Number of weight layers and their sizes, as the precisions must be given. */
  int[] layerSizes();

  /** Trains for {@code epochs} epochs with the prior precisions E[rho] of every weight, per weight layer. */
  Result run(double[][] precisions, int epochs);

  /** The current q(w). */
  Posterior posterior();

  /**
   * Accuracy on held-out (validation) data of the mean network with the weights outside {@code masks} set to
   * zero (null: all weights kept), or NaN when there is no held-out data.
   */
  double heldOutAccuracy(boolean[][] masks);
}
