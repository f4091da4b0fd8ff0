package io.turbovbi.jobs.testkit;

import io.turbovbi.jobs.run.LocalClusterHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Spark standalone cluster on 127.0.0.1: one Master and N Workers, each a separate JVM started from the Maven
 * class path (no Spark distribution), with the executors the Workers launch as further JVMs.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.builder().workers(2).coresPerWorker(1)
 *         .memoryPerWorker("1g").start()) {
 *     SparkSubmitRunner.Result result = SparkSubmitRunner.builder(cluster.masterUrl())
 *             .applicationJar(jar).mainClass("io.turbovbi.jobs.Launcher").args(...)
 *             .conf("spark.executor.memory", "512m")
 *             .build().run();
 *     cluster.killWorker(1);     // SIGKILL the Worker JVM and its executors, as if the machine died
 * }
 * }</pre>
 *
 * <p>How it is laid out: a temporary folder ({@link #baseDir()}) holds {@code spark-home/jars/}, symbolic links to
 * the test class path's jars less this project's classes and test-only jars (a Worker launches executors with
 * {@code $SPARK_HOME/jars/*} as class path, so application classes reach executors only through the application
 * jar), one work folder per Worker ({@code worker-i/}, where each executor's stdout/stderr land under
 * {@code app-*}/{@code N}/), and the logs {@code master.log}, {@code worker-i.log} (stdout and stderr merged, Spark's
 * INFO level). The folder is deleted on close unless {@code -Dturbovbi.testkit.keep=true}.
 *
 * <p>Every JVM gets {@code SPARK_LOCAL_IP=127.0.0.1}, the Java 17 {@code --add-opens} options of the parent pom
 * (executors get them through {@code spark.executor.extraJavaOptions}, which {@link SparkSubmitRunner} sets) and
 * binds to 127.0.0.1 on ports picked at run time. {@link #start()} returns when the Master's JSON reports every
 * Worker ALIVE (about 6 s on this 2-core machine when idle, 10-18 s while other builds run), or fails with the
 * tail of every log. {@link #close()} kills every JVM it started, executors included; so do a JVM shutdown hook
 * and, should the test JVM die by SIGKILL, each child's {@link ParentWatchdog} (all gone within ~3 s).
 *
 * <p>Memory: each Worker JVM takes a small heap ({@link Builder#daemonHeap}); each offers
 * {@link Builder#memoryPerWorker} to executors, which {@code spark.executor.memory} (default 1g) must not exceed.
 */
public final class StandaloneCluster implements AutoCloseable {

    /** Lines of each log quoted in error messages. */
    private static final int TAIL_LINES = 40;

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int PORT_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder settings;
    private final Path baseDir;
    private final boolean ownsBaseDir;
    private final Path sparkHome;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process master;
    private Path masterLog;
    private int masterPort;
    private int webUiPort;
    private final List<Process> workers = new ArrayList<>();
    private final List<Path> workerLogs = new ArrayList<>();
    private boolean closed;

    private StandaloneCluster(Builder settings) {
        this.settings = settings;
        this.ownsBaseDir = settings.baseDir == null;
        try {
            this.baseDir = ownsBaseDir ? Files.createTempDirectory("turbovbi-standalone-")
                    : Files.createDirectories(settings.baseDir);
            this.sparkHome = createSparkHome(baseDir.resolve("spark-home"));
            Files.createDirectories(baseDir.resolve("local"));
            Files.createDirectories(baseDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the cluster folder", e);
        }
        Map<String, String> env = new HashMap<>();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
        env.put("SPARK_SCALA_VERSION", "2.13"); // the Worker's executor command builder asks for it
        env.put("SPARK_LOCAL_IP", ChildJvm.LOOPBACK);
        env.put("SPARK_LOCAL_HOSTNAME", ChildJvm.LOOPBACK);
        env.put("JAVA_HOME", ChildJvm.javaHome());
        env.put("OPENBLAS_NUM_THREADS", "1");
        // Scratch space of the Workers and, through them, of the executors: deleted with the folder even when
        // the JVMs die by SIGKILL and cannot clean up after themselves.
        env.put("SPARK_LOCAL_DIRS", baseDir.resolve("local").toString());
        this.environment = Map.copyOf(env);
    }

    /** @return a builder with 2 workers of 1 core and 1g each */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code spark://127.0.0.1:PORT}, for {@code --master} */
    public String masterUrl() {
        return "spark://" + ChildJvm.LOOPBACK + ":" + masterPort;
    }

    /** @return the Master web UI's base URL, {@code http://127.0.0.1:PORT} ({@code /json/} gives its state) */
    public String masterWebUrl() {
        return "http://" + ChildJvm.LOOPBACK + ":" + webUiPort;
    }

    /** @return how many Workers were started (dead ones included) */
    public int workerCount() {
        return workers.size();
    }

    /** @return the temporary folder holding SPARK_HOME, work folders and logs */
    public Path baseDir() {
        return baseDir;
    }

    /** @return the SPARK_HOME the Workers use (its {@code jars/} is the executors' class path) */
    public Path sparkHome() {
        return sparkHome;
    }

    /** @return the Master's log (stdout and stderr) */
    public Path masterLog() {
        return masterLog;
    }

    /**
     * @param index a Worker, from 0
     * @return its log (stdout and stderr); its executors log under {@code baseDir()/worker-index/app-*}
     */
    public Path workerLog(int index) {
        return workerLogs.get(index);
    }

    /**
     * @param index a Worker, from 0
     * @return the Worker's process, e.g. to tell its pid
     */
    public Process workerProcess(int index) {
        return workers.get(index);
    }

    /**
     * Kills a Worker JVM with SIGKILL, and with it the executors it launched, as when the machine it runs on dies;
     * returns when they are gone. The Master notices through the lost connection and marks it DEAD.
     *
     * @param index a Worker, from 0
     */
    public void killWorker(int index) {
        ChildJvm.killTree(workers.get(index));
    }

    /**
     * @param index a Worker, from 0
     * @return whether its JVM is still running
     */
    public boolean isWorkerAlive(int index) {
        return workers.get(index).isAlive();
    }

    /**
     * The Master's state, from {@code /json/} of its web UI.
     *
     * @return the parsed JSON ({@code aliveworkers}, {@code workers[].state}, {@code activeapps}, ...)
     */
    public JsonNode masterState() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(masterWebUrl() + "/json/"))
                            .timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("master JSON answered HTTP " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + masterWebUrl() + "/json/", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** @return how many Workers the Master counts ALIVE */
    public int aliveWorkers() {
        return masterState().path("aliveworkers").asInt(-1);
    }

    /**
     * Waits until the Master counts exactly {@code expected} Workers ALIVE.
     *
     * @param expected how many
     * @param timeout  how long at most
     * @throws IllegalStateException on time-out or when the Master died, with the tail of every log
     */
    public void awaitAliveWorkers(int expected, Duration timeout) {
        awaitWorkers(expected, timeout, false);
    }

    private void awaitWorkers(int expected, Duration timeout, boolean everyWorkerMustRun) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw failure("the Master JVM exited with status " + master.exitValue());
            }
            for (int i = 0; everyWorkerMustRun && i < workers.size(); i++) {
                if (!workers.get(i).isAlive()) {
                    throw failure("the JVM of worker-" + i + " exited with status " + workers.get(i).exitValue());
                }
            }
            try {
                int alive = aliveWorkers();
                if (alive == expected) {
                    return;
                }
                last = alive + " alive";
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            pause(POLL_INTERVAL);
        }
        throw failure("the Master did not count " + expected + " workers ALIVE within " + timeout + " (last: "
                + last + ")");
    }

    /**
     * Tells everything a failure report needs.
     *
     * @return the URLs, folders and the tail of every log
     */
    public String diagnostics() {
        StringBuilder text = new StringBuilder();
        text.append("master ").append(masterUrl()).append(", web UI ").append(masterWebUrl())
                .append(", folder ").append(baseDir).append('\n');
        text.append("master.log:\n").append(ChildJvm.tail(masterLog, TAIL_LINES)).append('\n');
        for (int i = 0; i < workerLogs.size(); i++) {
            Process worker = workers.get(i);
            text.append("worker-").append(i).append(".log (")
                    .append(worker.isAlive() ? "running" : "exited " + worker.exitValue()).append("):\n")
                    .append(ChildJvm.tail(workerLogs.get(i), TAIL_LINES)).append('\n');
        }
        return text.toString();
    }

    /** Kills every JVM this cluster started (Workers with their executors, then the Master); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException problem = null;
        List<Process> all = new ArrayList<>(workers);
        if (master != null) {
            all.add(master);
        }
        for (Process process : all) {
            try {
                ChildJvm.killTree(process);
            } catch (RuntimeException e) {
                problem = problem == null ? e : problem;
            }
        }
        if (ownsBaseDir && !ChildJvm.keepTempFiles()) {
            LocalClusterHome.delete(baseDir);
        }
        if (problem != null) {
            throw problem;
        }
    }

    private StandaloneCluster startAll() {
        try {
            startMaster();
            for (int i = 0; i < settings.workers; i++) {
                startWorker(i);
            }
            awaitWorkers(settings.workers, settings.startTimeout, true);
            return this;
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void startMaster() {
        masterLog = baseDir.resolve("master.log");
        for (int attempt = 1; ; attempt++) {
            masterPort = ChildJvm.freePort();
            webUiPort = ChildJvm.freePort();
            List<String> jvm = daemonJvmOptions();
            jvm.add("-Dspark.master.rest.enabled=false");
            jvm.add("-Dspark.port.maxRetries=0"); // a taken port must fail, not silently move elsewhere
            master = ChildJvm.start(jvm, ChildJvm.sparkClasspath(), "org.apache.spark.deploy.master.Master",
                    List.of("--host", ChildJvm.LOOPBACK, "--port", Integer.toString(masterPort),
                            "--webui-port", Integer.toString(webUiPort)),
                    environment, masterLog, null);
            if (awaitMasterUp(settings.startTimeout)) {
                return;
            }
            if (master.isAlive() || attempt == PORT_ATTEMPTS) {
                throw failure(master.isAlive() ? "the Master's web UI did not answer within "
                        + settings.startTimeout : "the Master JVM exited with status " + master.exitValue());
            }
            // Most likely a port was taken between choosing and binding: try again with new ports.
            try {
                Files.move(masterLog, baseDir.resolve("master-attempt-" + attempt + ".log"));
            } catch (IOException e) {
                // Keep going; the new log overwrites the old one.
            }
        }
    }

    private boolean awaitMasterUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && master.isAlive()) {
            try {
                if (masterState().has("url")) {
                    return true;
                }
            } catch (RuntimeException e) {
                // Not listening yet.
            }
            pause(POLL_INTERVAL);
        }
        return false;
    }

    private void startWorker(int index) {
        Path workDir = baseDir.resolve("worker-" + index);
        Path log = baseDir.resolve("worker-" + index + ".log");
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = daemonJvmOptions();
        Process worker = ChildJvm.start(jvm, ChildJvm.sparkClasspath(), "org.apache.spark.deploy.worker.Worker",
                List.of("--host", ChildJvm.LOOPBACK, "--port", "0", "--webui-port", "0",
                        "--cores", Integer.toString(settings.coresPerWorker), "--memory", settings.memoryPerWorker,
                        "--work-dir", workDir.toString(), masterUrl()),
                environment, log, null);
        workers.add(worker);
        workerLogs.add(log);
    }

    private List<String> daemonJvmOptions() {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + settings.daemonHeap);
        jvm.add("-XX:+UseSerialGC");
        jvm.add("-XX:TieredStopAtLevel=1"); // the daemons only coordinate: C1 alone starts them faster
        jvm.add("-Djava.io.tmpdir=" + baseDir.resolve("tmp"));
        jvm.addAll(ChildJvm.sparkJvmOptions());
        for (Map.Entry<String, String> property : settings.daemonProperties.entrySet()) {
            jvm.add("-D" + property.getKey() + "=" + property.getValue());
        }
        return jvm;
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException("standalone cluster: " + what + "\n" + diagnostics());
    }

    private static Path createSparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        int index = 0;
        for (Path jar : ChildJvm.sparkClasspath()) {
            Path link = jars.resolve(jar.getFileName().toString());
            try {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            } catch (FileAlreadyExistsException e) {
                // Two jars of the same file name from different groups: keep both.
                Files.createSymbolicLink(jars.resolve("dup" + index + "-" + jar.getFileName()), jar.toAbsolutePath());
            }
            index++;
        }
        return home;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Settings of a cluster; {@link #start()} starts it. */
    public static final class Builder {
        private int workers = 2;
        private int coresPerWorker = 1;
        private String memoryPerWorker = "1g";
        private String daemonHeap = "256m";
        private Duration startTimeout = Duration.ofSeconds(60);
        private Path baseDir;
        private final Map<String, String> daemonProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param count how many Workers (at least 1; default 2)
         * @return this builder
         */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + count);
            }
            this.workers = count;
            return this;
        }

        /**
         * @param cores cores each Worker offers (at least 1; default 1)
         * @return this builder
         */
        public Builder coresPerWorker(int cores) {
            if (cores < 1) {
                throw new IllegalArgumentException("cores must be at least 1, got " + cores);
            }
            this.coresPerWorker = cores;
            return this;
        }

        /**
         * @param memory memory each Worker offers to executors, e.g. {@code "1g"} (default), {@code "1536m"}
         * @return this builder
         */
        public Builder memoryPerWorker(String memory) {
            this.memoryPerWorker = requireSize(memory);
            return this;
        }

        /**
         * @param heap heap of the Master and Worker JVMs themselves, e.g. {@code "256m"} (default)
         * @return this builder
         */
        public Builder daemonHeap(String heap) {
            this.daemonHeap = requireSize(heap);
            return this;
        }

        /**
         * @param timeout how long {@link #start()} waits for the Master and every Worker (default 60 s)
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /**
         * @param folder where to lay out SPARK_HOME, work folders and logs (kept on close); default a temporary
         *               folder deleted on close
         * @return this builder
         */
        public Builder baseDir(Path folder) {
            this.baseDir = folder;
            return this;
        }

        /**
         * Adds a Spark property to the Master and Worker JVMs (as {@code -Dkey=value}), e.g.
         * {@code spark.worker.timeout}.
         *
         * @param key   a Spark property
         * @param value its value
         * @return this builder
         */
        public Builder daemonProperty(String key, String value) {
            daemonProperties.put(key, value);
            return this;
        }

        /**
         * Starts the Master, then the Workers, and waits until the Master counts them all ALIVE.
         *
         * @return the running cluster
         * @throws IllegalStateException when it does not come up in time, with the tail of every log; every JVM
         *                               started is killed first
         */
        public StandaloneCluster start() {
            return new StandaloneCluster(this).startAll();
        }

        private static String requireSize(String size) {
            if (size == null || !size.matches("\\d+[kKmMgG]")) {
                throw new IllegalArgumentException("expected a size like 512m or 1g, got " + size);
            }
            return size;
        }
    }
}
