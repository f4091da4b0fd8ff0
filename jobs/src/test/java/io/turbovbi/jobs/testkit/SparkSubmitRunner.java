package io.turbovbi.jobs.testkit;

import io.turbovbi.jobs.run.LocalClusterHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Spark's own {@code org.apache.spark.deploy.SparkSubmit} in a child JVM, as {@code spark-submit} would:
 * {@code --master M --deploy-mode client|cluster --class C [--conf k=v]... APP_JAR args...}, with the Maven jars (less
 * this project's classes and test-only jars) as the driver's class path, so that the application's classes come
 * from the application jar alone, on the driver as on the executors.
 *
 * <pre>{@code
 * SparkSubmitRunner.Result result = SparkSubmitRunner.builder(cluster.masterUrl())   // or "local[2]"
 *         .applicationJar(Path.of("target/turbovbi-jobs-0.1.0-SNAPSHOT-spark.jar"))
 *         .mainClass("io.turbovbi.jobs.Launcher")
 *         .args("train", "--input", hdfs.uri("/in"), "--output", hdfs.uri("/out"))
 *         .conf("spark.executor.memory", "512m")
 *         .confs(hdfs.sparkProperties())
 *         .timeout(Duration.ofMinutes(2))
 *         .build()
 *         .run();
 * assertEquals(0, result.exitCode(), result::describe);
 * }</pre>
 *
 * <p>Defaults it adds (a {@link Builder#conf} of the same key replaces them): {@code spark.ui.enabled=false},
 * {@code spark.driver.host} and {@code spark.driver.bindAddress} 127.0.0.1, {@code spark.executor.extraJavaOptions}
 * = the parent pom's Java 17 options (a value given is appended to them), driver log level WARN ({@link
 * Builder#logLevel}). The driver JVM's heap is {@link Builder#driverHeap} (default 768m; in client mode
 * {@code spark.driver.memory} cannot change a JVM already running). Environment: {@code SPARK_LOCAL_IP=127.0.0.1}.
 *
 * <p>stdout and stderr go to {@code submit-N.out} and {@code submit-N.err} in {@link Builder#logDir} (default
 * {@code target/testkit-submit/} under the working directory, i.e. the module under Surefire, else a temporary
 * folder; kept for post-mortems, numbered per test JVM so a later run overwrites them). On time-out the driver
 * JVM and anything it started are killed
 * (SIGKILL); the Master then removes the application and the Workers kill its executors.
 */
public final class SparkSubmitRunner {

    private static final String SPARK_SUBMIT = "org.apache.spark.deploy.SparkSubmit";
    private static int sequence;

    private final Builder settings;

    private SparkSubmitRunner(Builder settings) {
        this.settings = settings;
    }

    /**
     * @param master {@code spark://127.0.0.1:PORT} ({@link StandaloneCluster#masterUrl()}) , {@code local[N]} or {@code yarn} (with {@link MiniYarn})
     * @return a builder
     */
    public static Builder builder(String master) {
        return new Builder(master);
    }

    /**
     * Runs the application and waits for it.
     *
     * @return how it ended; never throws for a failed application, look at {@link Result#exitCode()}
     */
    public Result run() {
        return start().await();
    }

    /**
     * Starts the application and returns at once, e.g. to kill a Worker while it runs.
     *
     * @return the running submission
     */
    public Submission start() {
        List<String> args = new ArrayList<>();
        args.add("--master");
        args.add(settings.master);
        args.add("--deploy-mode");
        args.add(settings.deployMode);
        args.add("--class");
        args.add(settings.mainClass);
        args.add("--name");
        args.add(settings.appName != null ? settings.appName : settings.mainClass);
        for (Map.Entry<String, String> conf : effectiveConf().entrySet()) {
            args.add("--conf");
            args.add(conf.getKey() + "=" + conf.getValue());
        }
        args.add(settings.applicationJar.toAbsolutePath().toString());
        args.addAll(settings.args);

        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + settings.driverHeap);
        jvm.addAll(ChildJvm.sparkJvmOptions());
        Path logDir;
        int number;
        synchronized (SparkSubmitRunner.class) {
            number = ++sequence;
        }
        try {
            logDir = Files.createDirectories(settings.logDir != null ? settings.logDir : defaultLogDir());
            if (settings.logLevel != null) {
                Path log4j = logDir.resolve("log4j2-submit-" + number + ".properties");
                Files.writeString(log4j, log4jConfig(settings.logLevel), StandardCharsets.UTF_8);
                jvm.add("-Dlog4j2.configurationFile=" + log4j.toUri());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the submission's folder", e);
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory(logDir, "local-" + number + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the driver's scratch folder", e);
        }
        jvm.add("-Djava.io.tmpdir=" + scratch);
        Map<String, String> env = new HashMap<>();
        env.put("SPARK_LOCAL_DIRS", scratch.toString());
        env.put("SPARK_LOCAL_IP", ChildJvm.LOOPBACK);
        env.put("SPARK_LOCAL_HOSTNAME", ChildJvm.LOOPBACK);
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.putAll(settings.env);
        Path stdout = logDir.resolve("submit-" + number + ".out");
        Path stderr = logDir.resolve("submit-" + number + ".err");
        List<String> command = new ArrayList<>(List.of(SPARK_SUBMIT));
        command.addAll(args);
        long started = System.nanoTime();
        Process process = ChildJvm.start(jvm, ChildJvm.sparkClasspath(), SPARK_SUBMIT, args, env, stdout, stderr);
        return new Submission(process, started, settings.timeout, stdout, stderr, command, scratch);
    }

    private static Path defaultLogDir() throws IOException {
        Path target = Path.of("target");
        return Files.isDirectory(target) ? target.resolve("testkit-submit")
                : Files.createTempDirectory("turbovbi-submit-");
    }

    private Map<String, String> effectiveConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.driver.host", ChildJvm.LOOPBACK);
        conf.put("spark.driver.bindAddress", ChildJvm.LOOPBACK);
        String javaOptions = String.join(" ", ChildJvm.sparkJvmOptions());
        conf.put("spark.executor.extraJavaOptions", javaOptions);
        for (Map.Entry<String, String> entry : settings.conf.entrySet()) {
            if (entry.getKey().equals("spark.executor.extraJavaOptions")) {
                conf.put(entry.getKey(), javaOptions + " " + entry.getValue());
            } else {
                conf.put(entry.getKey(), entry.getValue());
            }
        }
        return conf;
    }

    private static String log4jConfig(String level) {
        return String.join("\n",
                "rootLogger.level = " + level,
                "rootLogger.appenderRef.stderr.ref = console",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.target = SYSTEM_ERR",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
                "");
    }

    /** A running submission. */
    public static final class Submission {
        private final Process process;
        private final long startedNanos;
        private final Duration timeout;
        private final Path stdout;
        private final Path stderr;
        private final List<String> command;
        private final Path scratch;

        private Submission(Process process, long startedNanos, Duration timeout, Path stdout, Path stderr,
                           List<String> command, Path scratch) {
            this.scratch = scratch;
            this.process = process;
            this.startedNanos = startedNanos;
            this.timeout = timeout;
            this.stdout = stdout;
            this.stderr = stderr;
            this.command = List.copyOf(command);
        }

        /** @return whether the driver JVM still runs */
        public boolean isAlive() {
            return process.isAlive();
        }

        /** @return the driver JVM's pid */
        public long pid() {
            return process.pid();
        }

        /** @return the file receiving the driver's stdout */
        public Path stdoutFile() {
            return stdout;
        }

        /** @return the file receiving the driver's stderr (Spark's log) */
        public Path stderrFile() {
            return stderr;
        }

        /**
         * Waits until the driver JVM exits, or kills it (and its descendants) when the time-out, counted from the
         * start, runs out.
         *
         * @return how it ended
         */
        public Result await() {
            boolean timedOut = false;
            try {
                long left = timeout.toNanos() - (System.nanoTime() - startedNanos);
                if (!process.waitFor(Math.max(left, 0L), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                timedOut = true;
            }
            // Kills it on time-out; otherwise makes sure nothing is left and unregisters it from the shutdown hook.
            ChildJvm.killTree(process);
            LocalClusterHome.delete(scratch);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
            return new Result(timedOut ? -1 : process.exitValue(), timedOut, elapsed, stdout, stderr, command);
        }

        /** Kills the driver JVM and its descendants now. */
        public void kill() {
            ChildJvm.killTree(process);
            LocalClusterHome.delete(scratch);
        }
    }

    /**
     * How a submission ended.
     *
     * @param exitCode the driver JVM's exit status; -1 when it was killed at the time-out
     * @param timedOut whether the time-out ran out
     * @param elapsed  wall time from start to end
     * @param stdout   file with the driver's stdout
     * @param stderr   file with the driver's stderr (Spark's log)
     * @param command  SparkSubmit's main class and arguments
     */
    public record Result(int exitCode, boolean timedOut, Duration elapsed, Path stdout, Path stderr,
                         List<String> command) {

        /** @return whether the application exited with status 0 in time */
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** @return the whole stdout */
        public String stdoutText() {
            return read(stdout);
        }

        /** @return the whole stderr */
        public String stderrText() {
            return read(stderr);
        }

        /** @return a report for assertion messages: status, command and the tail of both outputs */
        public String describe() {
            return "SparkSubmit " + (timedOut ? "timed out" : "exited " + exitCode) + " after "
                    + elapsed.toMillis() + " ms\ncommand: " + String.join(" ", command)
                    + "\nstdout " + stdout + ":\n" + ChildJvm.tail(stdout, 40)
                    + "\nstderr " + stderr + ":\n" + ChildJvm.tail(stderr, 80);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Settings of a submission. */
    public static final class Builder {
        private final String master;
        private String mainClass;
        private Path applicationJar;
        private String appName;
        private String deployMode = "client";
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> conf = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String driverHeap = "768m";
        private String logLevel = "WARN";
        private Duration timeout = Duration.ofMinutes(2);
        private Path logDir;

        private Builder(String master) {
            if (master == null || !(master.startsWith("spark://") || master.startsWith("local")
                    || master.equals("yarn"))) {
                throw new IllegalArgumentException("expected spark://HOST:PORT, local[N] or yarn, got " + master);
            }
            this.master = master;
        }

        /**
         * @param className the application's main class; it must be in the application jar
         * @return this builder
         */
        public Builder mainClass(String className) {
            this.mainClass = className;
            return this;
        }

        /**
         * @param mode {@code client} (the default: the driver runs in the submitting JVM) or {@code cluster} (YARN:
         *             the driver runs in the ApplicationMaster's container, and the submitting JVM waits for it)
         * @return this builder
         */
        public Builder deployMode(String mode) {
            if (!mode.equals("client") && !mode.equals("cluster")) {
                throw new IllegalArgumentException("deploy mode client or cluster, got " + mode);
            }
            this.deployMode = mode;
            return this;
        }

        /**
         * @param jar the application jar (e.g. the shaded {@code *-spark.jar}, or one from {@link AppJar})
         * @return this builder
         */
        public Builder applicationJar(Path jar) {
            this.applicationJar = jar;
            return this;
        }

        /**
         * @param name {@code --name} (default the main class)
         * @return this builder
         */
        public Builder appName(String name) {
            this.appName = name;
            return this;
        }

        /**
         * @param values arguments for the application's main, appended
         * @return this builder
         */
        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        /**
         * @param values arguments for the application's main, appended
         * @return this builder
         */
        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        /**
         * @param key   a Spark property, passed as {@code --conf key=value}
         * @param value its value
         * @return this builder
         */
        public Builder conf(String key, String value) {
            conf.put(key, value);
            return this;
        }

        /**
         * @param properties Spark properties (e.g. {@link MiniHdfs#sparkProperties()}), each as {@code --conf}
         * @return this builder
         */
        public Builder confs(Map<String, String> properties) {
            conf.putAll(properties);
            return this;
        }

        /**
         * @param name  an environment variable of the driver JVM
         * @param value its value
         * @return this builder
         */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /**
         * @param heap the driver JVM's heap, e.g. {@code "768m"} (default)
         * @return this builder
         */
        public Builder driverHeap(String heap) {
            if (heap == null || !heap.matches("\\d+[kKmMgG]")) {
                throw new IllegalArgumentException("expected a size like 512m or 1g, got " + heap);
            }
            this.driverHeap = heap;
            return this;
        }

        /**
         * @param level the driver's log4j2 root level ({@code WARN} default, {@code INFO}, ...), or {@code null}
         *              for Spark's own default profile
         * @return this builder
         */
        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /**
         * @param limit how long the application may run before it is killed (default 2 minutes)
         * @return this builder
         */
        public Builder timeout(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + limit);
            }
            this.timeout = limit;
            return this;
        }

        /**
         * @param folder where stdout, stderr (and the log4j2 file) go; default {@code target/testkit-submit}
         * @return this builder
         */
        public Builder logDir(Path folder) {
            this.logDir = folder;
            return this;
        }

        /**
         * @return the runner
         * @throws IllegalStateException without a main class or an existing application jar
         */
        public SparkSubmitRunner build() {
            if (mainClass == null || mainClass.isBlank()) {
                throw new IllegalStateException("mainClass is required");
            }
            if (applicationJar == null || !Files.isRegularFile(applicationJar)) {
                throw new IllegalStateException("applicationJar must be an existing jar, got " + applicationJar);
            }
            return new SparkSubmitRunner(this);
        }
    }
}
