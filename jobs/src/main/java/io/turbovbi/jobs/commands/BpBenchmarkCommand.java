package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.benchmarks.BpBenchmark;
import io.turbovbi.jobs.config.Arguments;
import java.io.PrintStream;
import java.util.Set;

/** {@code bp-benchmark}: loopy belief propagation speed on the support grids and graphs of LeNet-300-100 and LeNet-5. */
final class BpBenchmarkCommand implements Command {
  @Override
  public String name() {
    return "bp-benchmark";
  }

  @Override
  public String usage() {
    return "loopy belief propagation speed on the support grids of LeNet-5's conv2 and of an 800x500\n"
        + "dense layer, and on the graph-mode graphs of LeNet-300-100 and LeNet-5, one core (--sweeps 50\n"
        + "--json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("sweeps");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    BpBenchmark.run(Integer.parseInt(parsed.option("sweeps", "50")), out, parsed.flag("json"));
  }
}
