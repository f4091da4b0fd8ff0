package io.turbovbi.jobs.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A tiny Spark application submitted by {@link StandaloneClusterTest} through {@link SparkSubmitRunner}; it lives
 * in the test tree and reaches the cluster only inside a jar built by {@link AppJar}.
 *
 * <p>Arguments: {@code OUTPUT PARTITIONS SLEEP_MILLIS [PROGRESS_DIR]}. Each of the {@code PARTITIONS} tasks sums the
 * squares of its 1000 numbers ({@code p*1000 .. p*1000+999}), notes its executor id, pid and attempt number,
 * touches {@code PROGRESS_DIR/started-P-A} when it starts, and sleeps {@code SLEEP_MILLIS}. The driver writes
 * {@code key=value} lines to {@code OUTPUT}: {@code sum}, {@code partitions} (distinct partitions seen),
 * {@code executors} and {@code pids} (distinct, comma-separated), {@code driverPid}, {@code maxAttempt},
 * {@code failedTasks} and {@code executorsRemoved} (from a listener). Kryo with registration required is on.
 */
public final class ClusterProbeApp {

    /** Numbers summed per partition. */
    static final int NUMBERS_PER_PARTITION = 1000;

    private ClusterProbeApp() {
    }

    /**
     * Runs the probe job.
     *
     * @param args {@code OUTPUT PARTITIONS SLEEP_MILLIS [PROGRESS_DIR]}
     */
    public static void main(String[] args) {
        Path output = Path.of(args[0]);
        int partitions = Integer.parseInt(args[1]);
        long sleepMillis = Long.parseLong(args[2]);
        String progressDir = args.length > 3 ? args[3] : null;
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.app.name", "cluster-probe")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrationRequired", "true")
                .registerKryoClasses(new Class<?>[] {Object[].class, String[].class});
        Losses losses = new Losses();
        List<String> rows;
        JavaSparkContext spark = new JavaSparkContext(conf);
        try {
            spark.sc().addSparkListener(losses);
            List<Integer> ids = IntStream.range(0, partitions).boxed().toList();
            rows = spark.parallelize(ids, partitions)
                    .mapPartitions(numbers -> probe(numbers, sleepMillis, progressDir))
                    .collect();
        } finally {
            spark.stop(); // drains the listener bus, so the counts below are final
        }
        long sum = 0;
        int maxAttempt = 0;
        TreeSet<Integer> seen = new TreeSet<>();
        TreeSet<String> executors = new TreeSet<>();
        TreeSet<Long> pids = new TreeSet<>();
        for (String row : rows) {
            String[] f = row.split(" ");
            seen.add(Integer.parseInt(f[0]));
            maxAttempt = Math.max(maxAttempt, Integer.parseInt(f[1]));
            executors.add(f[2]);
            pids.add(Long.parseLong(f[3]));
            sum += Long.parseLong(f[4]);
        }
        List<String> lines = new ArrayList<>();
        lines.add("sum=" + sum);
        lines.add("partitions=" + seen.size());
        lines.add("executors=" + String.join(",", executors));
        lines.add("pids=" + String.join(",", pids.stream().map(String::valueOf).toList()));
        lines.add("driverPid=" + ProcessHandle.current().pid());
        lines.add("maxAttempt=" + maxAttempt);
        lines.add("failedTasks=" + losses.failedTasks.get());
        lines.add("executorsRemoved=" + losses.executorsRemoved.get());
        try {
            Path partial = output.resolveSibling(output.getFileName() + ".partial");
            Files.write(partial, lines, StandardCharsets.UTF_8);
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("cluster-probe done: " + String.join(" ", lines));
    }

    private static Iterator<String> probe(Iterator<Integer> partitionIds, long sleepMillis, String progressDir)
            throws IOException, InterruptedException {
        TaskContext task = TaskContext.get();
        if (progressDir != null) {
            Files.createFile(Path.of(progressDir, "started-" + task.partitionId() + "-" + task.attemptNumber()));
        }
        long sum = 0;
        while (partitionIds.hasNext()) {
            long first = (long) partitionIds.next() * NUMBERS_PER_PARTITION;
            for (long n = first; n < first + NUMBERS_PER_PARTITION; n++) {
                sum += n * n;
            }
        }
        Thread.sleep(sleepMillis);
        String row = task.partitionId() + " " + task.attemptNumber() + " " + SparkEnv.get().executorId() + " "
                + ProcessHandle.current().pid() + " " + sum;
        return List.of(row).iterator();
    }

    /** Counts failed task attempts and removed executors. */
    static final class Losses extends SparkListener {
        final AtomicInteger failedTasks = new AtomicInteger();
        final AtomicInteger executorsRemoved = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            if (taskEnd.taskInfo().failed() || taskEnd.taskInfo().killed()) {
                failedTasks.incrementAndGet();
            }
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
            executorsRemoved.incrementAndGet();
        }
    }
}
