package io.turbovbi.nn;

/** Training produced a non-finite loss or non-finite parameters; the message says where. */
public final class DivergenceException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public DivergenceException(String message) {
    super(message);
  }

  /**
   * Throws when the loss or any parameter is NaN or infinite, naming the first weight layer (1-based, among the
   * network's layers) that holds a non-finite value.
   */
  public static void check(Network network, float[] params, double loss, String when) {
    for (ParamBlock block : network.blocks()) {
      for (int i = block.offset(); i < block.end(); i++) {
        if (!Float.isFinite(params[i])) {
          throw new DivergenceException(when + " diverged: layer " + (block.layer() + 1) + " ("
              + network.layers().get(block.layer()).describe() + ") has a non-finite "
              + block.kind().name().toLowerCase(java.util.Locale.ROOT) + " (" + params[i] + "), loss " + loss
              + "; lower the learning rate");
        }
      }
    }
    if (!Double.isFinite(loss)) {
      throw new DivergenceException(when + " diverged: the loss is " + loss + "; lower the learning rate");
    }
  }
}
