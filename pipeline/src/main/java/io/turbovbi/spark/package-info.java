/**
 * Turbo-VBI on Apache Spark: the training data read and packed into persisted shards by the executors, each
 * sample's place (validation split, mini-batch) from a hash of its id, the w-step as synchronisation rounds
 * (broadcast parameters, per-partition gradients, tree aggregation), Kryo registration of everything that crosses
 * JVMs.
 */
package io.turbovbi.spark;
