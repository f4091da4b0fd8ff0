package io.turbovbi.nn;

/**
 * How a forward pass runs over one chunk of samples.
 *
 * @param training whether layers sample their noise (variational layers) and keep what backward needs
 * @param noiseKeys one key per sample of the chunk; a sample's noise depends only on its key, so results do not
 *     depend on how a batch is split across threads or machines (null when not training)
 */
public record Pass(boolean training, long[] noiseKeys) {
  public static final Pass EVALUATION = new Pass(false, null);

  public static Pass training(long[] noiseKeys) {
    return new Pass(true, noiseKeys);
  }
}
