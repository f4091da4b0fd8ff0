package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.run.CompressJob;
import java.io.PrintStream;
import java.util.Set;

/** {@code compress}: Turbo-VBI with the w-step on Spark, writing checkpoints and the result. */
final class CompressCommand implements Command {
  @Override
  public String name() {
    return "compress";
  }

  @Override
  public String usage() {
    return "Turbo-VBI with the w-step on Spark (spark-submit, or embedded local[*]); writes checkpoints and the\n"
        + "result to the output location (--overwrite, --resume, --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of();
  }

  @Override
  public Set<String> flags() {
    return Set.of("json", "overwrite", "resume");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    new CompressJob(Commands.config(parsed), out, parsed.flag("json"), parsed.flag("overwrite"),
        parsed.flag("resume")).run();
  }
}
