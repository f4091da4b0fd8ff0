package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.run.CompareJob;
import java.io.PrintStream;
import java.util.Set;

/** {@code compare}: compares finished runs: a table and an HTML page of charts. */
final class CompareCommand implements Command {
  @Override
  public String name() {
    return "compare";
  }

  @Override
  public String usage() {
    return "compare finished runs: a table and an HTML page of charts (--results DIR/result,... --output\n"
        + "FILE.html --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("results", "output");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    new CompareJob(out, parsed.flag("json")).run(Commands.list(parsed.option("results", "runs/demo/result")),
        parsed.option("output", "comparison.html"));
  }
}
