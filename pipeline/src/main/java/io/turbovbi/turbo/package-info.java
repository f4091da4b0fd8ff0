/**
 * The Turbo-VBI outer loop: Module B (support MRFs) and Module A (closed-form q(s), q(rho)) exchange extrinsic
 * messages around a w-step that may run anywhere (one JVM or a Spark cluster).
 */
package io.turbovbi.turbo;
