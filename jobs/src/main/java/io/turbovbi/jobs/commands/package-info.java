/**
 * The commands of the command line, one class each behind {@link io.turbovbi.jobs.commands.Command} (name, usage
 * line, options): each parses its options and runs a job, a benchmark or an experiment.
 */
package io.turbovbi.jobs.commands;
