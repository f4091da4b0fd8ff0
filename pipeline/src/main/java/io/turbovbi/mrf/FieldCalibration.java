package io.turbovbi.mrf;

/**
 * The node field h0 of a grid-mode support prior and what it achieves (DESIGN 1).
 *
 * @param h0               node log-odds field added to every node
 * @param target           the active share aimed at: the row chains' lambda
 * @param interiorMarginal the zero-evidence loopy-BP marginal at the centre of the calibration grid with this h0.
 *                         It equals the target (to the bisection tolerance) when the zero-evidence marginal is a
 *                         continuous function of h0; under strong coupling the marginal jumps from near 0 to near 1 at
 *                         one h0 and no field reaches the target: then h0 is that jump and this is the marginal on
 *                         the side of the jump nearer to the target
 * @param proxyRows        rows of the grid the calibration ran on (0: the closed form, no calibration run)
 * @param proxyCols        columns of the grid the calibration ran on (0: the closed form)
 */
public record FieldCalibration(double h0, double target, double interiorMarginal, int proxyRows, int proxyCols) {
}
