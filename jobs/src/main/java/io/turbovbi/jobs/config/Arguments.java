package io.turbovbi.jobs.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line: {@code <command> [--conf FILE] [key=value ...] [--flag ...] [--option VALUE ...]}. Options and
 * flags are checked against what the command accepts.
 */
public final class Arguments {
  final String command;
  public final Path configFile;
  public final Map<String, String> overrides;
  final Map<String, String> options;
  final Set<String> flags;

  private Arguments(String command, Path configFile, Map<String, String> overrides, Map<String, String> options,
                    Set<String> flags) {
    this.command = command;
    this.configFile = configFile;
    this.overrides = overrides;
    this.options = options;
    this.flags = flags;
  }

  /**
   * Parses {@code args}; {@code valueOptions} take a value ({@code --name VALUE}), {@code flagOptions} do not.
   */
  public static Arguments parse(String command, List<String> args, Set<String> valueOptions, Set<String> flagOptions) {
    Path configFile = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    Map<String, String> options = new LinkedHashMap<>();
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--conf")) {
        configFile = Path.of(value(args, ++i, arg));
      } else if (arg.startsWith("--")) {
        String name = arg.substring(2);
        if (valueOptions.contains(name)) {
          options.put(name, value(args, ++i, arg));
        } else if (flagOptions.contains(name)) {
          flags.add(name);
        } else {
          throw new ConfigException("unknown option " + arg + " for " + command + " (options: --conf"
              + (valueOptions.isEmpty() ? "" : ", --" + String.join(", --", valueOptions))
              + (flagOptions.isEmpty() ? "" : ", --" + String.join(", --", flagOptions)) + ")");
        }
      } else if (arg.contains("=")) {
        int eq = arg.indexOf('=');
        overrides.put(arg.substring(0, eq).trim(), arg.substring(eq + 1));
      } else {
        throw new ConfigException("unexpected argument '" + arg + "' (settings are written key=value)");
      }
    }
    return new Arguments(command, configFile, overrides, options, Set.copyOf(flags));
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new ConfigException(option + " needs a value");
    }
    return args.get(index);
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }

  public String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
