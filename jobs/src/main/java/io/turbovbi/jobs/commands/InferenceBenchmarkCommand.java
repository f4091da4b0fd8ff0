package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.benchmarks.InferenceBenchmark;
import io.turbovbi.jobs.config.Arguments;
import java.io.PrintStream;
import java.util.Set;

/** {@code inference-benchmark}: compressed models against their dense network, one thread. */
final class InferenceBenchmarkCommand implements Command {
  @Override
  public String name() {
    return "inference-benchmark";
  }

  @Override
  public String usage() {
    return "compressed models side by side against their dense network, each layer in its\n"
        + "fastest kernel, one thread, one batch size per run (--model [LABEL=]DIR,... --batch 1\n"
        + "--seconds 3 --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("model", "batch", "seconds");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    new InferenceBenchmark(out, parsed.flag("json"), Double.parseDouble(parsed.option("seconds", "3")))
        .run(parsed.option("model", "runs/demo/result/model"), Integer.parseInt(parsed.option("batch", "1")));
  }
}
