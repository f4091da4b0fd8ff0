package io.turbovbi.nn;

/**
 * A contiguous block of a network's flat parameter vector.
 *
 * @param layer index of the layer that owns the block
 * @param kind what the block holds
 * @param offset first index in the network's parameter vector
 * @param length number of parameters
 */
public record ParamBlock(int layer, ParamKind kind, int offset, int length) {
  public int end() {
    return offset + length;
  }
}
