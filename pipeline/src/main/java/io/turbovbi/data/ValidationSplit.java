package io.turbovbi.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * A training set and the validation set carved out of it, for all tuning (T_max, target compression, prior
 * hyperparameters): the test set is never used to choose anything.
 *
 * @param train the samples not drawn for validation, in their original order
 * @param validation the drawn samples, in their original order
 */
public record ValidationSplit(LabeledSamples train, LabeledSamples validation) {

  /** Checks both parts are present and describe the same kind of data. */
  public ValidationSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    if (!train.shape().equals(validation.shape()) || train.numClasses() != validation.numClasses()) {
      throw new IllegalArgumentException("train (" + train + ") and validation (" + validation
          + ") differ in shape or number of classes");
    }
  }

  /**
   * Draws {@code validationSize} samples uniformly without replacement by a shuffle seeded with {@code seed}
   * (a partial Fisher-Yates shuffle driven by {@link java.util.Random}, whose sequence the JDK specifies, so the
   * split is the same on every JVM), and keeps the rest for training. Both parts keep the original order.
   *
   * @param validationSize number of validation samples, in {@code [1, data.size() - 1]}
   * @throws IllegalArgumentException if {@code validationSize} is outside that range
   */
  public static ValidationSplit of(LabeledSamples data, int validationSize, long seed) {
    int n = data.size();
    if (n < 2) {
      throw new IllegalArgumentException("cannot split " + n + " sample into training and validation sets");
    }
    if (validationSize < 0 || validationSize >= n) {
      throw new IllegalArgumentException("validation size must be in [1, " + (n - 1) + "] for " + n
          + " samples (at least one sample must stay for training), got " + validationSize);
    }
    if (validationSize == 0) {
      throw new IllegalArgumentException("validation size must be at least 1, got 0: without validation, "
          + "train on the whole data set instead of splitting it");
    }
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    Random random = new Random(seed);
    // Partial Fisher-Yates: after step k, order[0..k] is a uniform draw without replacement.
    for (int k = 0; k < validationSize; k++) {
      int pick = k + random.nextInt(n - k);
      int tmp = order[k];
      order[k] = order[pick];
      order[pick] = tmp;
    }
    int[] validation = Arrays.copyOfRange(order, 0, validationSize);
    int[] train = Arrays.copyOfRange(order, validationSize, n);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new ValidationSplit(data.subset(train), data.subset(validation));
  }
}
