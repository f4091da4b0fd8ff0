package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.benchmarks.SparkBenchmarks;
import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.spark.train.SparkTrainer;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;

/** {@code wstep-benchmark}: variational w-step throughput, single JVM against Spark local masters. */
final class WStepBenchmarkCommand implements Command {
  @Override
  public String name() {
    return "wstep-benchmark";
  }

  @Override
  public String usage() {
    return "variational w-step throughput: single JVM on 2 threads against Spark local masters\n"
        + "(--models lenet5 --masters local[1],local[2] --batch 512 --epochs 2 --task-threads 1\n"
        + "--mode gradient --local-steps 8 --json)";
  }

  @Override
  public Set<String> options() {
    return Set.of("models", "masters", "batch", "epochs", "task-threads", "mode", "local-steps");
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public void run(Arguments parsed, PrintStream out) throws Exception {
    new SparkBenchmarks(Commands.config(parsed), out, parsed.flag("json")).wStep(
        Commands.list(parsed.option("models", "lenet5")), Commands.list(parsed.option("masters", "local[1],local[2]")),
        Integer.parseInt(parsed.option("batch", "512")), Integer.parseInt(parsed.option("epochs", "2")),
        Integer.parseInt(parsed.option("task-threads", "1")),
        SparkTrainer.Mode.valueOf(parsed.option("mode", "gradient").toUpperCase(Locale.ROOT)),
        Integer.parseInt(parsed.option("local-steps", "8")));
  }
}
