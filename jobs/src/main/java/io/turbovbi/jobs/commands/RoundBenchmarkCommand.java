package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.benchmarks.SparkBenchmarks;
import io.turbovbi.jobs.config.Arguments;
import java.io.PrintStream;
import java.util.Set;

/** {@code round-benchmark}: the cost of one Spark synchronisation round against parameter count. */
final class RoundBenchmarkCommand implements Command {
  @Override
  public String name() {
    return "round-benchmark";
  }

  @Override
  public String usage() {
    return "cost of one Spark synchronisation round with trivial compute, against parameter count\n"
        + "(--floats 10000,100000,431080,1000000 --rounds 50 --partitions 2 --depth 1 --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("floats", "rounds", "partitions", "depth");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    new SparkBenchmarks(Commands.config(parsed), out, parsed.flag("json")).rounds(
        Commands.list(parsed.option("floats", "10000,100000,431080,1000000")).stream().map(Integer::parseInt)
            .toList(),
        Integer.parseInt(parsed.option("rounds", "50")), Integer.parseInt(parsed.option("partitions", "2")),
        Integer.parseInt(parsed.option("depth", "1")));
  }
}
