package io.turbovbi.turbo;

import java.io.Serializable;

/**
 * One row of the history: what an outer iteration did and cost. Iteration 0 is the warm-up.
 *
 * @param iteration 0 for the warm-up, then 1..T
 * @param meanLoss mean cross-entropy per sample in the w-step's last epoch
 * @param kl KL divergence of q(w) to its prior at the end of the w-step
 * @param heldOutAccuracy validation accuracy of the mean network with the current mask applied (NaN if none)
 * @param activeShare per weight layer, the share of weights with pit &gt; 0.5
 * @param compression all weights / active weights
 * @param pitChange relative change of pit since the previous iteration (NaN at first)
 * @param meanChange relative change of mu since the previous iteration (NaN at first)
 * @param bpSweeps per weight layer, the sweeps Module B used (0 for chains and iid)
 * @param secondsModuleA time in Module A's closed forms
 * @param secondsModuleB time in Module B's message passing
 * @param secondsWStep time in the w-step
 * @param rounds synchronisation rounds of a distributed w-step (0 on one JVM)
 * @param bytesMoved bytes those rounds moved between driver and executors
 */
public record IterationRecord(int iteration, double meanLoss, double kl, double heldOutAccuracy,
                              double[] activeShare, double compression, double pitChange, double meanChange,
                              int[] bpSweeps, double secondsModuleA, double secondsModuleB, double secondsWStep,
                              int rounds, long bytesMoved) implements Serializable {}
