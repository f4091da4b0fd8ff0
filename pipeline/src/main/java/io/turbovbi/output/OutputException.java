package io.turbovbi.output;

/**
 * An output location that cannot be used as asked: in use by another run, holding files of something else, holding a
 * run that is neither resumed nor overwritten, not writable, or holding checkpoints made under other settings. Its
 * message says what to do instead.
 */
public final class OutputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public OutputException(String message) {
    super(message);
  }
}
