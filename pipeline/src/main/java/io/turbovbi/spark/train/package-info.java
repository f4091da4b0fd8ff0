/**
 * Distributed training: the training data read and packed into persisted shards by the executors, each sample's
 * place (validation split, mini-batch) from a hash of its id, the w-step as synchronisation rounds (broadcast
 * parameters, per-partition gradients, tree aggregation), the engines each executor keeps, and Kryo registration of
 * everything that crosses JVMs. The bottom Spark layer: it knows neither the pipeline nor the ML API.
 */
package io.turbovbi.spark.train;
