/**
 * The compression pipeline on Spark ({@link io.turbovbi.spark.pipeline.CompressionPipeline}: warm-up, Turbo-VBI,
 * pruning and fine-tuning over distributed training), its checkpoints in their file format and the metrics of its
 * result. It does not know the Spark ML API; it uses {@code spark.train}.
 */
package io.turbovbi.spark.pipeline;
