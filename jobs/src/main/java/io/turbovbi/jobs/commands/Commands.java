package io.turbovbi.jobs.commands;

import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.run.DataSets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/** Every command of the command line, in the order the usage text lists them, and the helpers they share. */
public final class Commands {
  /** The commands, in the order of the usage text. */
  public static final List<Command> ALL = List.of(new TrainCommand(), new CompressCommand(), new TurboCommand(),
      new ImportCommand(), new SyntheticCommand(), new EngineBenchmarkCommand(), new RoundBenchmarkCommand(),
      new WStepBenchmarkCommand(), new ScaleBenchmarkCommand(), new InferenceBenchmarkCommand(),
      new BpBenchmarkCommand(), new RegressionCommand(), new CompareCommand(), new KeysCommand());

  private Commands() {}

  /** The command called {@code name}, if there is one. */
  public static Optional<Command> named(String name) {
    return ALL.stream().filter(command -> command.name().equals(name)).findFirst();
  }

  /** The configuration of a command that reads one: {@code --conf FILE} with the key=value settings over it. */
  static Config config(Arguments parsed) {
    return Config.load(parsed.configFile, parsed.overrides);
  }

  /** Data for the single-JVM commands: files through Hadoop's local or HDFS file systems, no Spark. */
  static DataSets localData(Config config) {
    return new DataSets(config, new Configuration());
  }

  static String required(Arguments parsed, String option) {
    String value = parsed.option(option, null);
    if (value == null) {
      throw new ConfigException("--" + option + " is required");
    }
    return value;
  }

  static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
