package io.turbovbi.jobs;

import io.turbovbi.experiments.regression.RegressionExperiment;
import io.turbovbi.mrf.BeliefPropagationBenchmark;
import io.turbovbi.mrf.BpSchedule;
import io.turbovbi.mrf.LayerGeometry;
import io.turbovbi.mrf.SupportGrid;
import io.turbovbi.nn.DivergenceException;
import io.turbovbi.output.JsonLine;
import io.turbovbi.output.OutputException;
import io.turbovbi.spark.train.SparkTrainer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/** The command line of the project: {@code java -jar turbovbi.jar <command> ...}; run without arguments for help. */
public final class Launcher {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  /** Scala version of the Spark build, which a Worker's executor command builder asks for. */
  static final String SCALA_VERSION = "2.13";

  private static final String USAGE = """
      usage: java -jar jobs/target/turbovbi.jar <command> [--conf FILE] [key=value ...] [options]

      commands:
        train       train and evaluate one network on a single JVM (--json: JSON lines)
        compress    Turbo-VBI with the w-step on Spark (spark-submit, or embedded local[*]); writes checkpoints and the
                    result to the output location (--overwrite, --resume, --json)
        turbo       Turbo-VBI on a single JVM: prints the history and the masked network's accuracy
        import      convert IDX files (data.train, data.test) once into Parquet the compress job reads where it lies
                    (--to DIR: writes DIR/train and DIR/test; --json)
        synthetic   write a synthetic Parquet training set of data.shape and data.classes made on the executors
                    (--samples N --partitions 8 --to DIR --json)
        benchmark   engine training throughput (--models lenet300,lenet5 --modes deterministic,variational
                    --threads 1,2 --batch 128 --seconds 5 --warmup 2 --json)
        round-benchmark  cost of one Spark synchronisation round with trivial compute, against parameter count
                    (--floats 10000,100000,431080,1000000 --rounds 50 --partitions 2 --depth 1 --json)
        wstep-benchmark  variational w-step throughput: single JVM on 2 threads against Spark local masters
                    (--models lenet5 --masters local[1],local[2] --batch 512 --epochs 2 --task-threads 1
                    --mode gradient --local-steps 8 --json)
        scale-benchmark  heap of the driver and of each executor against training-set size and executor count:
                    compress runs on synthetic Parquet, each in a driver JVM of its own over a standalone cluster
                    inside it (--samples 60000,240000,600000 --executors 2,4 --driver-memory 1g --executor-memory 3g
                    --interval 5 --work runs/scale-benchmark --json; key=value settings go to the compress runs)
        inference-benchmark  compressed models side by side against their dense network, each layer in its
                    fastest kernel, one thread, one batch size per run (--model [LABEL=]DIR,... --batch 1
                    --seconds 3 --json)
        bp-benchmark     loopy belief propagation speed on the support grids of LeNet-5's conv2 and of an 800x500
                    dense layer, and on the graph-mode graphs of LeNet-300-100 and LeNet-5, one core (--sweeps 50
                    --json)
        regression  structured sparse regression: support recovery of iid, rows and grid (--trials 20 --json)
        compare     compare finished runs: a table and an HTML page of charts (--results DIR/result,... --output
                    FILE.html --json)
        keys        list every configuration key with its default and meaning (--markdown: as a table)
      """;

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
    try {
      switch (args[0]) {
        case "train" -> {
          Arguments parsed = Arguments.parse("train", rest, Set.of(), Set.of("json"));
          Config config = Config.load(parsed.configFile, parsed.overrides);
          new TrainJob(config, localData(config), System.out, parsed.flag("json")).run();
        }
        case "compress" -> {
          Arguments parsed = Arguments.parse("compress", rest, Set.of(), Set.of("json", "overwrite", "resume"));
          Config config = Config.load(parsed.configFile, parsed.overrides);
          new CompressJob(config, System.out, parsed.flag("json"), parsed.flag("overwrite"), parsed.flag("resume"))
              .run();
        }
        case "turbo" -> {
          Arguments parsed = Arguments.parse("turbo", rest, Set.of(), Set.of("json"));
          Config config = Config.load(parsed.configFile, parsed.overrides);
          new TurboJob(config, localData(config), System.out, parsed.flag("json")).run();
        }
        case "import" -> {
          Arguments parsed = Arguments.parse("import", rest, Set.of("to"), Set.of("json"));
          Config config = Config.load(parsed.configFile, parsed.overrides);
          new DataJob(config, System.out, parsed.flag("json")).importIdx(required(parsed, "to"));
        }
        case "synthetic" -> {
          Arguments parsed = Arguments.parse("synthetic", rest, Set.of("samples", "partitions", "to"),
              Set.of("json"));
          Config config = Config.load(parsed.configFile, parsed.overrides);
          new DataJob(config, System.out, parsed.flag("json")).synthetic(Long.parseLong(required(parsed, "samples")),
              Integer.parseInt(parsed.option("partitions", "8")), required(parsed, "to"));
        }
        case "benchmark" -> {
          Arguments parsed = Arguments.parse("benchmark", rest,
              Set.of("models", "modes", "threads", "batch", "seconds", "warmup"), Set.of("json"));
          double seconds = Double.parseDouble(parsed.option("seconds", "5"));
          new EngineBenchmark(Integer.parseInt(parsed.option("batch", "128")), seconds,
              Double.parseDouble(parsed.option("warmup", Double.toString(Math.min(2.0, seconds / 2)))), System.out,
              parsed.flag("json"))
              .run(list(parsed.option("models", "lenet300,lenet5")),
                  list(parsed.option("modes", "deterministic,variational")),
                  list(parsed.option("threads", "1,2")).stream().map(Integer::parseInt).toList());
        }
        case "round-benchmark" -> {
          Arguments parsed = Arguments.parse("round-benchmark", rest,
              Set.of("floats", "rounds", "partitions", "depth"), Set.of("json"));
          Config config = Config.load(parsed.configFile, parsed.overrides);
          new SparkBenchmarks(config, System.out, parsed.flag("json")).rounds(
              list(parsed.option("floats", "10000,100000,431080,1000000")).stream().map(Integer::parseInt).toList(),
              Integer.parseInt(parsed.option("rounds", "50")), Integer.parseInt(parsed.option("partitions", "2")),
              Integer.parseInt(parsed.option("depth", "1")));
        }
        case "wstep-benchmark" -> {
          Arguments parsed = Arguments.parse("wstep-benchmark", rest,
              Set.of("models", "masters", "batch", "epochs", "task-threads", "mode", "local-steps"), Set.of("json"));
          Config config = Config.load(parsed.configFile, parsed.overrides);
          new SparkBenchmarks(config, System.out, parsed.flag("json")).wStep(
              list(parsed.option("models", "lenet5")), list(parsed.option("masters", "local[1],local[2]")),
              Integer.parseInt(parsed.option("batch", "512")), Integer.parseInt(parsed.option("epochs", "2")),
              Integer.parseInt(parsed.option("task-threads", "1")),
              SparkTrainer.Mode.valueOf(parsed.option("mode", "gradient").toUpperCase(Locale.ROOT)),
              Integer.parseInt(parsed.option("local-steps", "8")));
        }
        case "scale-benchmark" -> {
          Arguments parsed = Arguments.parse("scale-benchmark", rest,
              Set.of("samples", "executors", "driver-memory", "executor-memory", "interval", "work"), Set.of("json"));
          if (parsed.configFile != null) {
            throw new ConfigException("scale-benchmark takes compress settings as key=value, not --conf");
          }
          new ScaleBenchmark(Path.of(parsed.option("work", "runs/scale-benchmark")),
              parsed.option("driver-memory", "1g"), parsed.option("executor-memory", "3g"),
              Double.parseDouble(parsed.option("interval", "5")), parsed.overrides, System.out, System.err,
              parsed.flag("json"))
              .run(list(parsed.option("samples", "60000,240000,600000")).stream().map(Long::parseLong).toList(),
                  list(parsed.option("executors", "2,4")).stream().map(Integer::parseInt).toList());
        }
        case "inference-benchmark" -> {
          Arguments parsed = Arguments.parse("inference-benchmark", rest, Set.of("model", "batch", "seconds"),
              Set.of("json"));
          new InferenceBenchmark(System.out, parsed.flag("json"), Double.parseDouble(parsed.option("seconds", "3")))
              .run(parsed.option("model", "runs/demo/result/model"), Integer.parseInt(parsed.option("batch", "1")));
        }
        case "bp-benchmark" -> {
          Arguments parsed = Arguments.parse("bp-benchmark", rest, Set.of("sweeps"), Set.of("json"));
          bpBenchmark(Integer.parseInt(parsed.option("sweeps", "50")), parsed.flag("json"));
        }
        case "regression" -> {
          Arguments parsed = Arguments.parse("regression", rest, Set.of("trials", "seed"), Set.of("json"));
          int trials = Integer.parseInt(parsed.option("trials", "20"));
          if (trials < 1) {
            throw new ConfigException("trials must be at least 1, got " + trials);
          }
          new RegressionExperiment().run(System.out, parsed.flag("json"), trials,
              Long.parseLong(parsed.option("seed", "1")));
        }
        case "compare" -> {
          Arguments parsed = Arguments.parse("compare", rest, Set.of("results", "output"), Set.of("json"));
          new CompareJob(System.out, parsed.flag("json")).run(list(parsed.option("results", "runs/demo/result")),
              parsed.option("output", "comparison.html"));
        }
        case "keys" -> {
          Arguments parsed = Arguments.parse("keys", rest, Set.of(), Set.of("markdown"));
          System.out.print(parsed.flag("markdown") ? ConfigKeys.markdownTable() : ConfigKeys.describeAll());
        }
        default -> {
          System.err.print("unknown command '" + args[0] + "'\n" + USAGE);
          return EXIT_USAGE;
        }
      }
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

  private static void bpBenchmark(int sweeps, boolean json) {
    List<BeliefPropagationBenchmark.Result> results = new ArrayList<>();
    for (SupportGrid grid : List.of(SupportGrid.conv(50, 20, 5), SupportGrid.dense(500, 800))) {
      results.add(BeliefPropagationBenchmark.run(grid, BpSchedule.FLOODING, sweeps, 1));
    }
    results.add(BeliefPropagationBenchmark.runGraph("graph lenet300", List.of(LayerGeometry.denseOnImage(300, 1, 28,
        28), LayerGeometry.dense(100, 300), LayerGeometry.dense(10, 100)), sweeps, 1));
    results.add(BeliefPropagationBenchmark.runGraph("graph lenet5", List.of(LayerGeometry.conv(20, 1, 5),
        LayerGeometry.conv(50, 20, 5), LayerGeometry.denseOnImage(500, 50, 4, 4), LayerGeometry.dense(10, 500)),
        sweeps, 1));
    for (BeliefPropagationBenchmark.Result r : results) {
      boolean graph = r.grid().startsWith("graph");
      if (json) {
        System.out.println(new JsonLine().put("benchmark", "loopy-bp").put("grid", r.grid())
            .put(graph ? "variables" : "rows", r.rows()).put(graph ? "edges" : "cols", r.cols())
            .put("schedule", r.schedule().toString()).put("sweeps", r.sweeps()).put("seconds", r.seconds())
            .put("edge_messages_per_s", r.edgeMessagesPerSecond()));
      } else {
        System.out.printf(Locale.ROOT, "%-28s %,9d %s %,9d %s %3d sweeps  %.3f s  %,.0f edge-messages/s%n", r.grid(),
            r.rows(), graph ? "variables" : "rows", r.cols(), graph ? "edges" : "cols", r.sweeps(), r.seconds(),
            r.edgeMessagesPerSecond());
      }
    }
  }

  /** Data for the single-JVM commands: files through Hadoop's local or HDFS file systems, no Spark. */
  private static DataSets localData(Config config) {
    return new DataSets(config, new Configuration());
  }

  private static String required(Arguments parsed, String option) {
    String value = parsed.option(option, null);
    if (value == null) {
      throw new ConfigException("--" + option + " is required");
    }
    return value;
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
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
        builder.environment().put("SPARK_SCALA_VERSION", SCALA_VERSION);
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
