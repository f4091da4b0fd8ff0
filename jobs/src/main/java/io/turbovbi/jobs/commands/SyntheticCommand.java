package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.run.DataJob;
import java.io.PrintStream;
import java.util.Set;

/** {@code synthetic}: writes a synthetic Parquet training set made on the executors. */
final class SyntheticCommand implements Command {
  @Override
  public String name() {
    return "synthetic";
  }

  @Override
  public String usage() {
    return "write a synthetic Parquet training set of data.shape and data.classes made on the executors\n"
        + "(--samples N --partitions 8 --to DIR --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("samples", "partitions", "to");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    new DataJob(Commands.config(parsed), out, parsed.flag("json")).synthetic(
        Long.parseLong(Commands.required(parsed, "samples")), Integer.parseInt(parsed.option("partitions", "8")),
        Commands.required(parsed, "to"));
  }
}
