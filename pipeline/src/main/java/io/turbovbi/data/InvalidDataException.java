package io.turbovbi.data;

/**
 * Input data that cannot be used: a malformed or truncated file, a value out of range, a missing column, a path that
 * does not exist. The message starts with the source (file name, and line or row where there is one) and says what
 * is wrong, e.g. {@code "t10k-labels-idx1-ubyte.gz: truncated: header promises 10000 labels, file holds 9996"}.
 *
 * <p>Unchecked, as it reports bad input rather than a condition a caller can recover from. I/O failures that are
 * not about the content (a network error while reading) stay {@link java.io.UncheckedIOException}s.
 */
public class InvalidDataException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** An error with a complete message. */
  public InvalidDataException(String message) {
    super(message);
  }

  /** An error with a complete message and the exception that revealed it. */
  public InvalidDataException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code "<source>: <problem>"}. */
  static InvalidDataException in(String source, String problem) {
    return new InvalidDataException(source + ": " + problem);
  }

  /** {@code "<source>: <problem>"}, keeping the cause. */
  static InvalidDataException in(String source, String problem, Throwable cause) {
    return new InvalidDataException(source + ": " + problem, cause);
  }
}
