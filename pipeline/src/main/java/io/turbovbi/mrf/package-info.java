/**
 * Support grids of the layers and Module B of Turbo-VBI: the Markov random field prior on the weight supports and
 * its sum-product message passing (exact forward-backward on chains, damped loopy BP on grids) in log-odds.
 */
package io.turbovbi.mrf;
