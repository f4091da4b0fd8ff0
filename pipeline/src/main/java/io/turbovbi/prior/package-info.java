/**
 * Module A of Turbo-VBI: the Gamma-mixture prior on the weight precisions and the closed forms of the rho-step,
 * the s-step and the log-likelihood ratio sent to Module B, in the collapsed and the mean-field factorisation.
 */
package io.turbovbi.prior;
