package io.turbovbi.turbo;

/**
 * Ends a warm-up once the validation accuracy has not improved for {@code patience} epochs in a row, after at most
 * {@code maxEpochs} epochs, so that compression starts from a network trained as far as the data allow, whatever
 * the data set's size (DESIGN 2, warm-up).
 */
public final class WarmUpPatience {
  private final int maxEpochs;
  private final int patience;
  private double best = Double.NEGATIVE_INFINITY;
  private int sinceBest;
  private int epochs;

  public WarmUpPatience(int maxEpochs, int patience) {
    if (maxEpochs < 0 || patience < 1) {
      throw new IllegalArgumentException("need at most >= 0 epochs and a patience >= 1, got " + maxEpochs + ", "
          + patience);
    }
    this.maxEpochs = maxEpochs;
    this.patience = patience;
  }

  /** Whether to train another epoch. */
  public boolean another() {
    return epochs < maxEpochs && sinceBest < patience;
  }

  /** After each epoch: the validation accuracy it reached. */
  public void record(double accuracy) {
    epochs++;
    if (accuracy > best) {
      best = accuracy;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
  }

  public int epochs() {
    return epochs;
  }
}
