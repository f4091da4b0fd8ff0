package io.turbovbi.jobs.commands;

import io.turbovbi.experiments.regression.RegressionExperiment;
import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.config.ConfigException;
import java.io.PrintStream;
import java.util.Set;

/** {@code regression}: the synthetic structured sparse regression experiment. */
final class RegressionCommand implements Command {
  @Override
  public String name() {
    return "regression";
  }

  @Override
  public String usage() {
    return "structured sparse regression: support recovery of iid, rows and grid (--trials 20 --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("trials", "seed");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    int trials = Integer.parseInt(parsed.option("trials", "20"));
    if (trials < 1) {
      throw new ConfigException("trials must be at least 1, got " + trials);
    }
    new RegressionExperiment().run(out, parsed.flag("json"), trials, Long.parseLong(parsed.option("seed", "1")));
  }
}
