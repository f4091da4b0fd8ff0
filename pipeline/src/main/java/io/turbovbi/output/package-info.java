/**
 * A run's output location on any Hadoop file system (local, hdfs://): one writer at a time, checkpoints and the result
 * written under temporary names and renamed when complete, and the plain file formats a run writes (JSON lines, the
 * history as CSV, NumPy arrays).
 */
package io.turbovbi.output;
