/**
 * The jobs' configuration, read in one place: the command line ({@link io.turbovbi.jobs.config.Arguments}), the
 * configuration file and key=value settings ({@link io.turbovbi.jobs.config.Config}), every key with its default and
 * meaning ({@link io.turbovbi.jobs.config.ConfigKeys}, the compression keys derived from the estimator's params by
 * {@link io.turbovbi.jobs.config.ParamKeys}), and secrets kept out of what is printed.
 */
package io.turbovbi.jobs.config;
