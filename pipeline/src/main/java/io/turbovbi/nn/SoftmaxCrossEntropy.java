package io.turbovbi.nn;

/** Softmax followed by cross-entropy against integer labels, fused for numerical stability. */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /** Loss and correct predictions of a chunk. */
  public record Result(double lossSum, int correct) {}

  /**
   * Computes the summed loss of n rows of logits ({@code n x classes}) and writes d(loss sum)/d(logits) to
   * {@code gradLogits} (softmax minus one-hot), unless it is null.
   */
  public static Result apply(float[] logits, int[] labels, int labelOffset, int n, int classes,
                             float[] gradLogits) {
    double loss = 0;
    int correct = 0;
    for (int s = 0; s < n; s++) {
      int row = s * classes;
      int label = labels[labelOffset + s];
      float max = logits[row];
      int argmax = 0;
      for (int j = 1; j < classes; j++) {
        if (logits[row + j] > max) {
          max = logits[row + j];
          argmax = j;
        }
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        sum += Math.exp(logits[row + j] - max);
      }
      double logSum = Math.log(sum);
      loss += logSum - (logits[row + label] - max);
      if (argmax == label) {
        correct++;
      }
      if (gradLogits != null) {
        for (int j = 0; j < classes; j++) {
          gradLogits[row + j] = (float) Math.exp(logits[row + j] - max - logSum);
        }
        gradLogits[row + label] -= 1f;
      }
    }
    return new Result(loss, correct);
  }
}
