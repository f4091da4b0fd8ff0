/**
 * The run report: a self-contained HTML page with charts (JFreeChart, embedded as PNG) of the history, the support
 * maps of every layer, the structure metrics and a comparison of methods.
 */
package io.turbovbi.report;
