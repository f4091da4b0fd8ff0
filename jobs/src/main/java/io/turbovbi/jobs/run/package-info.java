/**
 * The jobs the commands run: compress on Spark (a thin front end to the library's compression run), train and
 * Turbo-VBI on one JVM, data import and synthetic data, the comparison of finished runs; with what they share: the
 * data sets, the model zoo, the Spark session's setup and the SPARK_HOME a local-cluster master needs.
 */
package io.turbovbi.jobs.run;
