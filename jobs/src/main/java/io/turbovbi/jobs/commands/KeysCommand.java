package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.config.ConfigKeys;
import java.io.PrintStream;
import java.util.Set;

/** {@code keys}: lists every configuration key with its default and meaning. */
final class KeysCommand implements Command {
  @Override
  public String name() {
    return "keys";
  }

  @Override
  public String usage() {
    return "list every configuration key with its default and meaning (--markdown: as a table)";
  }

  @Override
  public Set<String> options() {
    return Set.of();
  }

  @Override
  public Set<String> flags() {
    return Set.of("markdown");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    out.print(parsed.flag("markdown") ? ConfigKeys.markdownTable() : ConfigKeys.describeAll());
  }
}
