package io.turbovbi.turbo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WarmUpPatienceTest {
  private static int epochsFor(double[] accuracies, int maxEpochs, int patience) {
    WarmUpPatience warmUp = new WarmUpPatience(maxEpochs, patience);
    while (warmUp.another()) {
      warmUp.record(accuracies[warmUp.epochs()]);
    }
    return warmUp.epochs();
  }

  @Test
  void stopsAfterPatienceEpochsWithoutANewBest() {
    double[] accuracies = {0.5, 0.6, 0.6, 0.55, 0.7, 0.8, 0.9};
    assertEquals(4, epochsFor(accuracies, 7, 2), "best at epoch 2, equal is no improvement");
    assertEquals(3, epochsFor(accuracies, 7, 1));
    assertEquals(7, epochsFor(accuracies, 7, 3), "the later improvements reset the count");
  }

  @Test
  void neverTrainsMoreThanTheMostEpochs() {
    assertEquals(3, epochsFor(new double[] {0.1, 0.2, 0.3, 0.4}, 3, 2));
    assertEquals(0, epochsFor(new double[0], 0, 2));
  }
}
