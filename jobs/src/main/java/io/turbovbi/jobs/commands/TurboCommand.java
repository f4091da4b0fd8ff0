package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.run.TurboJob;
import java.io.PrintStream;
import java.util.Set;

/** {@code turbo}: Turbo-VBI on a single JVM. */
final class TurboCommand implements Command {
  @Override
  public String name() {
    return "turbo";
  }

  @Override
  public String usage() {
    return "Turbo-VBI on a single JVM: prints the history and the masked network's accuracy";
  }

  @Override
  public Set<String> options() {
    return Set.of();
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    Config config = Commands.config(parsed);
    new TurboJob(config, Commands.localData(config), out, parsed.flag("json")).run();
  }
}
