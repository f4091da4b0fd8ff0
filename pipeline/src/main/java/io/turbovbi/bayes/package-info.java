/**
 * Variational layers with a Gaussian posterior per weight, trained with the local reparameterisation trick, and
 * the KL divergence to a per-weight Gaussian prior whose precisions come from Turbo-VBI.
 */
package io.turbovbi.bayes;
