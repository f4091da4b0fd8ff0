package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.benchmarks.ScaleBenchmark;
import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code scale-benchmark}: heap of driver and executors against training-set size and executor count. */
final class ScaleBenchmarkCommand implements Command {
  @Override
  public String name() {
    return "scale-benchmark";
  }

  @Override
  public String usage() {
    return "heap of the driver and of each executor against training-set size and executor count:\n"
        + "compress runs on synthetic Parquet, each in a driver JVM of its own over a standalone cluster\n"
        + "inside it (--samples 60000,240000,600000 --executors 2,4 --driver-memory 1g --executor-memory 3g\n"
        + "--interval 5 --work runs/scale-benchmark --json; key=value settings go to the compress runs)";
  }

  @Override
  public Set<String> options() {
    return Set.of("samples", "executors", "driver-memory", "executor-memory", "interval", "work");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    if (parsed.configFile != null) {
      throw new ConfigException("scale-benchmark takes compress settings as key=value, not --conf");
    }
    new ScaleBenchmark(Path.of(parsed.option("work", "runs/scale-benchmark")),
        parsed.option("driver-memory", "1g"), parsed.option("executor-memory", "3g"),
        Double.parseDouble(parsed.option("interval", "5")), parsed.overrides, out, System.err, parsed.flag("json"))
        .run(Commands.list(parsed.option("samples", "60000,240000,600000")).stream().map(Long::parseLong).toList(),
            Commands.list(parsed.option("executors", "2,4")).stream().map(Integer::parseInt).toList());
  }
}
