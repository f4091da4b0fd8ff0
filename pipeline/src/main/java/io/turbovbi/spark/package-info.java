/**
 * Turbo-VBI on Apache Spark: the training data as cached shards, the w-step as synchronisation rounds (broadcast
 * parameters, per-partition gradients, tree aggregation), Kryo registration of everything that crosses JVMs.
 */
package io.turbovbi.spark;
