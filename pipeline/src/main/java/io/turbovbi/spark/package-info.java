/**
 * Turbo-VBI on Apache Spark: the estimator and its model (Spark ML API, params shared with the compress job's
 * configuration), the compression run both of them use with its outputs and checkpoints ({@link
 * io.turbovbi.spark.CompressionRun}), the training data read and packed into persisted shards by the executors, each
 * sample's place (validation split, mini-batch) from a hash of its id, the w-step as synchronisation rounds
 * (broadcast parameters, per-partition gradients, tree aggregation), Kryo registration of everything that crosses
 * JVMs.
 */
package io.turbovbi.spark;
