/**
 * Turbo-VBI as a Spark ML citizen: the estimator ({@link io.turbovbi.spark.ml.TurboVbiCompressor}) and its model
 * ({@link io.turbovbi.spark.ml.CompressedNetworkModel}), the params they share with the compress job's configuration,
 * their save/load in Spark's params layout, and the compression run both the estimator and the job use, with its
 * outputs and resume ({@link io.turbovbi.spark.ml.CompressionRun}). Built on {@code spark.pipeline} and
 * {@code spark.train}; nothing below it knows it.
 */
package io.turbovbi.spark.ml;
