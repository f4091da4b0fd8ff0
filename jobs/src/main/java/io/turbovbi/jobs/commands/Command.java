package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import java.io.PrintStream;
import java.util.Set;

/**
 * One command of the command line ({@code java -jar turbovbi.jar <name> ...}): its name, its entry in the usage text,
 * the options it accepts, and what it runs. The launcher parses the arguments against {@link #options} and
 * {@link #flags}, runs the command, and turns what it throws into an exit status.
 */
public interface Command {
  /** The word that selects the command. */
  String name();

  /**
   * What the command does and its options with their defaults, as the usage text shows it beside the name: lines
   * joined by {@code \n}, without indentation.
   */
  String usage();

  /** Options that take a value ({@code --name VALUE}). */
  Set<String> options();

  /** Options that take none ({@code --name}). */
  Set<String> flags();

  /** Runs the command with its parsed arguments, printing to {@code out}. */
  void run(Arguments arguments, PrintStream out) throws Exception;
}
