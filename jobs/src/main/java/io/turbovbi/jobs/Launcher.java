package io.turbovbi.jobs;

import io.turbovbi.jobs.commands.Command;
import io.turbovbi.jobs.commands.Commands;
import io.turbovbi.jobs.config.Arguments;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.run.LocalClusterHome;
import io.turbovbi.nn.DivergenceException;
import io.turbovbi.output.OutputException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The command line of the project: {@code java -jar turbovbi.jar <command> ...}; run without arguments for help. */
public final class Launcher {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private static final String USAGE_HEADER = """
      usage: java -jar jobs/target/turbovbi.jar <command> [--conf FILE] [key=value ...] [options]

      commands:
      """;
  /** Width of the name column in the usage text; a longer name is followed by two spaces. */
  private static final int NAME_WIDTH = 10;
  private static final String USAGE = usage(Commands.ALL);

  private Launcher() {}

  public static void main(String[] args) {
    if (insideYarnApplicationMaster()) {
      // YARN cluster mode: the ApplicationMaster runs this method in a thread of its own and reports success only
      // if it returns; an exit, even with status 0, is reported as a failure and the application is retried.
      int status = run(args);
      if (status != 0) {
        throw new IllegalStateException("turbovbi " + String.join(" ", args) + " failed with status " + status
            + " (the error is above)");
      }
      return;
    }
    if (needsRelaunch(args)) {
      System.exit(relaunch(args));
    }
    System.exit(run(args));
  }

  /** Whether this JVM is the ApplicationMaster of a YARN cluster-mode submission, which sets these properties. */
  static boolean insideYarnApplicationMaster() {
    return "yarn".equals(System.getProperty("spark.master"))
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }

  /** Runs a command and returns the exit status; errors in the input are reported in one line, not a trace. */
  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      System.out.print(USAGE);
      return args.length == 0 ? EXIT_USAGE : 0;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    Optional<Command> command = Commands.named(args[0]);
    if (command.isEmpty()) {
      System.err.print("unknown command '" + args[0] + "'\n" + USAGE);
      return EXIT_USAGE;
    }
    try {
      Command chosen = command.get();
      chosen.run(Arguments.parse(chosen.name(), rest, chosen.options(), chosen.flags()), System.out);
      return 0;
    } catch (ConfigException | OutputException | NumberFormatException e) {
      System.err.println("error: " + oneLine(e));
      return EXIT_USAGE;
    } catch (IllegalArgumentException | DivergenceException e) {
      // Bad data or settings found while running (InvalidDataException among them), or a training that diverged:
      // the message says what and where.
      System.err.println("error: " + e.getMessage());
      return EXIT_FAILURE;
    } catch (OutOfMemoryError e) {
      System.err.println("error: out of memory (" + e.getMessage() + "): give the driver more memory "
          + "(spark.driver.memory, or -Xmx) or use smaller data or a smaller network");
      return EXIT_FAILURE;
    } catch (Exception e) {
      // I/O and Spark failures: one line for the user, not a stack trace.
      System.err.println("error: " + oneLine(e));
      return EXIT_FAILURE;
    }
  }

  /** The first line of an exception's message, or its type if it has none. */
  static String oneLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName() + (e.getCause() == null ? "" : ": " + oneLine(e.getCause()));
    }
    return message.strip().lines().findFirst().orElse(message);
  }

  /** The usage text: the header, then each command's name and its usage lines, aligned. */
  static String usage(List<Command> commands) {
    StringBuilder text = new StringBuilder(USAGE_HEADER);
    String indent = " ".repeat(2 + NAME_WIDTH + 2);
    for (Command command : commands) {
      List<String> lines = command.usage().lines().toList();
      text.append(String.format(Locale.ROOT, "  %-" + NAME_WIDTH + "s  %s\n", command.name(), lines.get(0)));
      lines.stream().skip(1).forEach(line -> text.append(indent).append(line).append('\n'));
    }
    return text.toString();
  }

  /**
   * The engine runs its own threads, so a native BLAS must not start more; OpenBLAS reads its thread count from the
   * environment only, hence the relaunch (which also picks the throughput garbage collector). A local-cluster master
   * needs SPARK_HOME in the environment too. Not done under spark-submit, where Spark owns the JVM.
   */
  private static boolean needsRelaunch(String[] args) {
    boolean environmentLacks = System.getenv("OPENBLAS_NUM_THREADS") == null
        || ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()
        || (System.getenv("SPARK_HOME") == null && asksForLocalCluster(args));
    return environmentLacks && System.getProperty("spark.master") == null
        && System.getenv("TURBOVBI_NO_RELAUNCH") == null;
  }

  private static boolean asksForLocalCluster(String[] args) {
    return Arrays.stream(args).anyMatch(arg -> arg.startsWith("cluster.master=local-cluster"));
  }

  private static int relaunch(String[] args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
    if (jvmOptions.stream().noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
      // Rounds allocate arrays of megabytes; G1's concurrent work on them took cores from training (measured on
      // local[2], LeNet-5, batch 512: 260-300 ms per round with G1, 220-236 ms with the parallel collector).
      command.add("-XX:+UseParallelGC");
    }
    command.addAll(jvmOptions);
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      // The engine's exp and noise kernels run on the Vector API when it is present (nn.Kernels).
      command.add("--add-modules=" + VECTOR_MODULE);
    }
    String launchedAs = System.getProperty("sun.java.command", "");
    String jar = launchedAs.split(" ")[0];
    if (jar.endsWith(".jar")) {
      command.add("-jar");
      command.add(jar);
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Launcher.class.getName());
    }
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putIfAbsent("OPENBLAS_NUM_THREADS", "1");
    Path sparkHome = null;
    try {
      if (System.getenv("SPARK_HOME") == null && asksForLocalCluster(args)) {
        sparkHome = Files.createTempDirectory("turbovbi-spark-home-");
        LocalClusterHome.create(sparkHome);
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", LocalClusterHome.SCALA_VERSION);
      }
      return builder.start().waitFor();
    } catch (IOException e) {
      System.err.println("warning: cannot relaunch with OPENBLAS_NUM_THREADS=1 (" + e.getMessage()
          + "); continuing");
      return run(args);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_FAILURE;
    } finally {
      if (sparkHome != null) {
        LocalClusterHome.delete(sparkHome);
      }
    }
  }
}
