/**
 * Test fixtures for running jobs against real infrastructure on 127.0.0.1: an in-JVM HDFS ({@link
 * io.turbovbi.jobs.testkit.MiniHdfs}), a Spark standalone cluster of separate JVMs ({@link
 * io.turbovbi.jobs.testkit.StandaloneCluster}), Spark's own {@code SparkSubmit} in a child JVM ({@link
 * io.turbovbi.jobs.testkit.SparkSubmitRunner}) and application jars built at test time ({@link
 * io.turbovbi.jobs.testkit.AppJar}).
 */
package io.turbovbi.jobs.testkit;
