package io.turbovbi.jobs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-worker standalone cluster of separate JVMs runs an application jar submitted through Spark's own
 * SparkSubmit, spreads its tasks over both workers, survives the loss of a worker, and leaves no JVM behind.
 */
@Tag("cluster")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StandaloneClusterTest {

    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(150);

    @TempDir
    Path temp;

    @AfterEach
    void noChildJvmSurvives() throws InterruptedException {
        // Children may take a moment to be reaped after SIGKILL.
        List<ProcessHandle> alive = List.of();
        for (int i = 0; i < 50; i++) {
            alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(List.of(), alive.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                .toList(), "child processes still alive after the test");
    }

    @Test
    void submittedApplicationRunsOnBothWorkersWithKryoRegistrationRequired() throws Exception {
        Path jar = probeJar();
        Path output = temp.resolve("probe.txt");
        long started = System.nanoTime();
        try (StandaloneCluster cluster = StandaloneCluster.builder().workers(2).coresPerWorker(1)
                .memoryPerWorker("1g").start()) {
            System.out.printf("StandaloneCluster (master + 2 workers) up in %d ms at %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), cluster.masterUrl());
            assertEquals(2, cluster.aliveWorkers());
            assertTrue(cluster.masterUrl().startsWith("spark://127.0.0.1:"), cluster.masterUrl());

            SparkSubmitRunner.Result result = probe(cluster, jar, output, 8, 300, null).run();
            System.out.printf("probe application ran in %d ms%n", result.elapsed().toMillis());

            assertTrue(result.succeeded(), result::describe);
            Properties probe = load(output);
            assertEquals(Long.toString(sumOfSquaresBelow(8 * ClusterProbeApp.NUMBERS_PER_PARTITION)),
                    probe.getProperty("sum"));
            assertEquals("8", probe.getProperty("partitions"));
            List<String> executors = Arrays.asList(probe.getProperty("executors").split(","));
            List<String> pids = Arrays.asList(probe.getProperty("pids").split(","));
            assertEquals(2, executors.size(), "both workers' executors ran tasks: " + probe);
            assertEquals(2, pids.size(), "two executor JVMs: " + probe);
            assertFalse(pids.contains(probe.getProperty("driverPid")), "no task ran in the driver: " + probe);
            assertFalse(pids.contains(Long.toString(ProcessHandle.current().pid())), "nor in the test JVM");
            assertTrue(result.stdoutText().contains("cluster-probe done"), result::describe);
        }
    }

    @Test
    void jobCompletesWhenAWorkerIsKilledMidRun() throws Exception {
        Path jar = probeJar();
        Path output = temp.resolve("probe.txt");
        Path progress = Files.createDirectories(temp.resolve("progress"));
        int partitions = 10;
        try (StandaloneCluster cluster = StandaloneCluster.builder().workers(2).coresPerWorker(1)
                .memoryPerWorker("1g").start()) {
            SparkSubmitRunner.Submission submission = probe(cluster, jar, output, partitions, 2000, progress)
                    .start();
            // Both executors have taken a task and the second wave has begun: every executor is busy.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (countFiles(progress) < 3) {
                assertTrue(submission.isAlive(), "the application ended before the kill");
                assertTrue(System.nanoTime() < deadline, "tasks did not start within 90 s\n"
                        + cluster.diagnostics());
                Thread.sleep(100);
            }
            List<Long> executorsOfKilled = cluster.workerProcess(1).descendants().map(ProcessHandle::pid).toList();
            long killedAt = System.nanoTime();
            cluster.killWorker(1);
            assertFalse(cluster.isWorkerAlive(1));
            assertFalse(executorsOfKilled.isEmpty(), "the killed worker ran an executor");
            executorsOfKilled.forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                    .orElse(false), "executor " + pid + " died with its worker"));

            SparkSubmitRunner.Result result = submission.await();
            System.out.printf("job finished %d ms after the worker was killed (%d ms in all); %d tasks had started%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt), result.elapsed().toMillis(),
                    countFiles(progress));

            assertTrue(result.succeeded(), () -> result.describe() + "\n" + cluster.diagnostics());
            Properties probe = load(output);
            System.out.println("probe after the kill: " + probe);
            assertEquals(Long.toString(sumOfSquaresBelow(partitions * ClusterProbeApp.NUMBERS_PER_PARTITION)),
                    probe.getProperty("sum"));
            assertEquals(Integer.toString(partitions), probe.getProperty("partitions"));
            assertNotEquals("0", probe.getProperty("executorsRemoved"), "the driver saw the executor go: " + probe);
            assertNotEquals("0", probe.getProperty("maxAttempt"), "a task was retried elsewhere: " + probe);
            assertEquals(1, cluster.aliveWorkers(), "the master marked the killed worker DEAD");
        }
    }

    @Test
    void clusterThatDoesNotComeUpInTimeFailsWithItsLogsAndLeavesNoJvm() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> StandaloneCluster.builder().startTimeout(Duration.ofMillis(300)).start().close());
        assertTrue(failure.getMessage().contains("did not answer within PT0.3S"), failure.getMessage());
        assertTrue(failure.getMessage().contains("master.log:"), failure.getMessage());
        // noChildJvmSurvives() checks that the Master JVM was killed.
    }

    @Test
    void applicationClassesComeOnlyFromTheApplicationJar() throws Exception {
        // A jar without the main class: the driver's class path (the Maven jars) must not have it either.
        Path emptyJar = AppJar.create().write(temp.resolve("empty.jar"));
        SparkSubmitRunner.Result result = SparkSubmitRunner.builder("local[1]")
                .applicationJar(emptyJar)
                .mainClass(ClusterProbeApp.class.getName())
                .args(temp.resolve("never.txt").toString(), "1", "0")
                .timeout(Duration.ofSeconds(60))
                .logDir(temp)
                .build()
                .run();
        assertFalse(result.timedOut(), result::describe);
        assertNotEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stderrText().contains("ClassNotFoundException")
                || result.stderrText().contains("Failed to load class"), result::describe);
    }

    private Path probeJar() {
        Path jar = AppJar.create().addClass(ClusterProbeApp.class).write(temp.resolve("probe.jar"));
        assertTrue(Files.isRegularFile(jar));
        return jar;
    }

    private SparkSubmitRunner probe(StandaloneCluster cluster, Path jar, Path output, int partitions,
                                    long sleepMillis, Path progress) {
        SparkSubmitRunner.Builder builder = SparkSubmitRunner.builder(cluster.masterUrl())
                .applicationJar(jar)
                .mainClass(ClusterProbeApp.class.getName())
                .appName("cluster-probe")
                .conf("spark.executor.memory", "512m")
                // Wait for both executors before the first task, so that both take part.
                .conf("spark.cores.max", "2")
                .conf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .conf("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s")
                .args(output.toString(), Integer.toString(partitions), Long.toString(sleepMillis))
                .timeout(SUBMIT_TIMEOUT)
                .logDir(temp.resolve("submit"));
        if (progress != null) {
            builder.args(progress.toString());
        }
        return builder.build();
    }

    private static long countFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private static Properties load(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "the application wrote " + file);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** Sum of n^2 for n in [0, count): (count-1) count (2 count - 1) / 6. */
    private static long sumOfSquaresBelow(long count) {
        return (count - 1) * count * (2 * count - 1) / 6;
    }
}
