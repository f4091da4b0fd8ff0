/**
 * Data sets: the in-memory {@link io.turbovbi.data.LabeledSamples}, readers for IDX, LibSVM and Spark data frames,
 * the built-in Fashion-MNIST sample and the seeded validation split that all tuning uses.
 */
package io.turbovbi.data;
