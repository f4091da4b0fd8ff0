package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.benchmarks.EngineBenchmark;
import io.turbovbi.jobs.config.Arguments;
import java.io.PrintStream;
import java.util.Set;

/** {@code benchmark}: engine training throughput. */
final class EngineBenchmarkCommand implements Command {
  @Override
  public String name() {
    return "benchmark";
  }

  @Override
  public String usage() {
    return "engine training throughput (--models lenet300,lenet5 --modes deterministic,variational\n"
        + "--threads 1,2 --batch 128 --seconds 5 --warmup 2 --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("models", "modes", "threads", "batch", "seconds", "warmup");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    double seconds = Double.parseDouble(parsed.option("seconds", "5"));
    new EngineBenchmark(Integer.parseInt(parsed.option("batch", "128")), seconds,
        Double.parseDouble(parsed.option("warmup", Double.toString(Math.min(2.0, seconds / 2)))), out,
        parsed.flag("json"))
        .run(Commands.list(parsed.option("models", "lenet300,lenet5")),
            Commands.list(parsed.option("modes", "deterministic,variational")),
            Commands.list(parsed.option("threads", "1,2")).stream().map(Integer::parseInt).toList());
  }
}
