package io.turbovbi.spark.pipeline;

import io.turbovbi.nn.Optimizer;
import io.turbovbi.turbo.TurboVbi;

/**
 * Everything a stopped compress run needs to continue exactly where it was: the Turbo-VBI loop's state, the
 * network's parameters, the optimiser's state and the number of epochs done (which keys shuffles and noise). Saved
 * and read as plain data by {@link CheckpointFormat}.
 *
 * @param network the network description of the run, checked when resuming
 */
public record Checkpoint(String network, TurboVbi.State loop, float[] params, Optimizer.State optimizer,
                         int epochsDone) {}
