package io.turbovbi.mrf;

/**
 * What one Module B call did.
 *
 * @param sweeps           sweeps run (1 for exact chains, 0 when Module B is off)
 * @param converged        whether the largest message change fell below the tolerance (always true when exact)
 * @param maxMessageChange largest absolute change of a message log-odds in the last sweep (0 when exact)
 */
public record MessagePassingReport(int sweeps, boolean converged, double maxMessageChange) {

  static MessagePassingReport exact(int sweeps) {
    return new MessagePassingReport(sweeps, true, 0.0);
  }
}
