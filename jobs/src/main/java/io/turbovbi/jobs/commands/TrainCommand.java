package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.run.TrainJob;
import java.io.PrintStream;
import java.util.Set;

/** {@code train}: trains and evaluates one network on a single JVM. */
final class TrainCommand implements Command {
  @Override
  public String name() {
    return "train";
  }

  @Override
  public String usage() {
    return "train and evaluate one network on a single JVM (--json: JSON lines)";
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
    new TrainJob(config, Commands.localData(config), out, parsed.flag("json")).run();
  }
}
