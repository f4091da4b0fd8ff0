/**
 * From a trained variational state to a small network: masks, removal of dead neurons and channels, masked
 * fine-tuning, structure metrics and FLOPs.
 */
package io.turbovbi.compress;
