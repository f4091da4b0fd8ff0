package io.turbovbi.spark.train;

import java.io.Serializable;

/**
 * What the partitions of one synchronisation round send back, summed: a vector (gradient sums in gradient mode;
 * count-weighted parameters and optimiser moments in averaging mode), the summed loss, correct predictions and
 * samples.
 */
public final class RoundResult implements Serializable {
  private static final long serialVersionUID = 1L;

  float[] vector;
  double lossSum;
  long correct;
  long count;

  RoundResult() {}

  RoundResult(float[] vector, double lossSum, long correct, long count) {
    this.vector = vector;
    this.lossSum = lossSum;
    this.correct = correct;
    this.count = count;
  }

  /** Adds another result into this one (in place) and returns this. */
  RoundResult merge(RoundResult other) {
    if (other.vector != null) {
      if (vector == null) {
        vector = other.vector;
      } else {
        for (int i = 0; i < vector.length; i++) {
          vector[i] += other.vector[i];
        }
      }
    }
    lossSum += other.lossSum;
    correct += other.correct;
    count += other.count;
    return this;
  }
}
