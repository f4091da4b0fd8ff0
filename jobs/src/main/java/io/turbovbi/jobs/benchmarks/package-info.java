/**
 * Benchmarks: engine and inference throughput, the Spark round and w-step costs, loopy belief propagation speed,
 * and the heap of driver and executors against data size (with the heap watch that samples a child JVM).
 */
package io.turbovbi.jobs.benchmarks;
