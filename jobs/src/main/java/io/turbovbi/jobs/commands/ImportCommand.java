package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.run.DataJob;
import java.io.PrintStream;
import java.util.Set;

/** {@code import}: converts IDX files once into Parquet. */
final class ImportCommand implements Command {
  @Override
  public String name() {
    return "import";
  }

  @Override
  public String usage() {
    return "convert IDX files (data.train, data.test) once into Parquet the compress job reads where it lies\n"
        + "(--to DIR: writes DIR/train and DIR/test; --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("to");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    new DataJob(Commands.config(parsed), out, parsed.flag("json")).importIdx(Commands.required(parsed, "to"));
  }
}
