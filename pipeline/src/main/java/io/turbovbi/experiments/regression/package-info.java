/**
 * The synthetic structured sparse regression experiment: known supports (iid, clustered rows, 2-D blocks) recovered
 * by the Turbo-VBI outer loop around an exact linear-Gaussian w-step, and the command's table of support errors.
 * A test bench for the algorithm, apart from the algorithm itself ({@code io.turbovbi.turbo}).
 */
package io.turbovbi.experiments.regression;
