package io.turbovbi.turbo;

import java.io.Serializable;

/**
 * One row of the history: what an outer iteration did and cost, measured after its w-step with the same computation
 * the final mask uses. Iteration 0 is the warm-up.
 *
 * @param iteration 0 for the warm-up, then 1..T
 * @param epochs w-step epochs this row trained
 * @param meanLoss mean cross-entropy per sample in the w-step's last epoch
 * @param kl KL divergence of q(w) to its prior at the end of the w-step
 * @param heldOutAccuracy validation accuracy of the mean network with this row's mask applied (the warm-up: no mask;
 *                        NaN without validation data)
 * @param denseAccuracy validation accuracy of the mean network without a mask (NaN without validation data)
 * @param activeShare per weight layer, the share of weights in the mask
 * @param compression all weights / weights in the mask
 * @param prunedCompression all weights / weights left after unit removal
 * @param flops FLOPs per sample of the network left after unit removal (2 per multiply-add)
 * @param offset the compression controller's log-odds offset beta (0 when free running)
 * @param guardTripped whether the accuracy guard stopped the ramp at this iteration
 * @param pitChange relative change of pit since the previous iteration (NaN at first)
 * @param meanChange relative change of mu since the previous iteration (NaN at first)
 * @param bpSweeps per weight layer, the sweeps Module B used (0 for chains and iid)
 * @param secondsModuleA time in Module A's closed forms
 * @param secondsModuleB time in Module B's message passing
 * @param secondsWStep time in the w-step
 * @param rounds synchronisation rounds of a distributed w-step (0 on one JVM)
 * @param bytesMoved bytes those rounds moved between driver and executors
 */
public record IterationRecord(int iteration, int epochs, double meanLoss, double kl, double heldOutAccuracy,
                              double denseAccuracy, double[] activeShare, double compression,
                              double prunedCompression, long flops, double offset, boolean guardTripped,
                              double pitChange, double meanChange, int[] bpSweeps, double secondsModuleA,
                              double secondsModuleB, double secondsWStep, int rounds, long bytesMoved)
    implements Serializable {}
