package io.turbovbi.jobs.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A YARN cluster in this JVM (one ResourceManager, one NodeManager, from hadoop-client-minicluster), for
 * spark-submit {@code --master yarn} in client and cluster deploy mode through {@link SparkSubmitRunner}.
 *
 * <p>Containers are real child processes started by the NodeManager. They find Spark and its dependencies on this
 * machine: {@link #sparkProperties()} points {@code spark.yarn.jars} at an empty jar (nothing to upload) and puts
 * the testkit's Spark class path on the ApplicationMaster's and executors' class paths, the way Spark's own YARN
 * suites run; the application jar is uploaded to the staging folder on the default file system (give it MiniHdfs's
 * configuration). Memory and virtual-memory checks are off, and the smallest container is 256 MB, so that a few
 * small executors fit on the shared test machine.
 *
 * <pre>{@code
 * try (MiniHdfs hdfs = MiniHdfs.start(); MiniYarn yarn = MiniYarn.start(hdfs.configuration(), dir)) {
 *     SparkSubmitRunner.builder("yarn").deployMode("cluster").confs(yarn.sparkProperties())
 *             .env("YARN_CONF_DIR", yarn.confDir().toString())...
 * }
 * }</pre>
 */
public final class MiniYarn implements AutoCloseable {
    private static final long START_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final String TOPOLOGY_MAPPING = "net.topology.node.switch.mapping.impl";
    private static final String DEFAULT_TOPOLOGY_MAPPING = "org.apache.hadoop.net.ScriptBasedMapping";

    private final MiniYARNCluster cluster;
    private final Path confDir;
    private final Path emptyJar;

    private MiniYarn(MiniYARNCluster cluster, Path confDir, Path emptyJar) {
        this.cluster = cluster;
        this.confDir = confDir;
        this.emptyJar = emptyJar;
    }

    /**
     * Starts the cluster.
     *
     * @param base     configuration the cluster and its applications start from (e.g. MiniHdfs's, whose
     *                 {@code fs.defaultFS} then holds the staging folders)
     * @param workDir  folder for the client configuration and the empty jar
     * @return the running cluster
     */
    public static MiniYarn start(Configuration base, Path workDir) {
        YarnConfiguration conf = new YarnConfiguration(base);
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // hadoop-client-minicluster has no capacity-scheduler.xml: one queue, as Spark's YARN suites declare it.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        conf.set("yarn.resourcemanager.hostname", ChildJvm.LOOPBACK);
        conf.set("yarn.nodemanager.hostname", ChildJvm.LOOPBACK);
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
        conf.setInt("yarn.nodemanager.resource.memory-mb", 8192);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        MiniYARNCluster cluster = new MiniYARNCluster("turbovbi", 1, 1, 1);
        try {
            cluster.init(conf);
            cluster.start();
            // start() may return before the ResourceManager has written its port into the configuration.
            long deadline = System.nanoTime() + START_LIMIT_NANOS;
            while (cluster.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the ResourceManager did not publish its address");
                }
                Thread.sleep(100);
            }
            Path confDir = Files.createDirectories(workDir.resolve("yarn-conf"));
            Configuration client = new Configuration(cluster.getConfig());
            client.set(TOPOLOGY_MAPPING, DEFAULT_TOPOLOGY_MAPPING);
            try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
                client.writeXml(out);
            }
            Path emptyJar = workDir.resolve("empty.jar");
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(emptyJar))) {
                jar.finish();
            }
            return new MiniYarn(cluster, confDir, emptyJar);
        } catch (IOException e) {
            cluster.stop();
            throw new UncheckedIOException("cannot start MiniYARNCluster", e);
        } catch (InterruptedException e) {
            cluster.stop();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while MiniYARNCluster started", e);
        } catch (RuntimeException e) {
            cluster.stop();
            throw e;
        }
    }

    /** @return a folder holding the cluster's {@code yarn-site.xml}, for {@code YARN_CONF_DIR} */
    public Path confDir() {
        return confDir;
    }

    /**
     * Spark settings that submit to this cluster: the cluster's whole configuration as {@code spark.hadoop.*}, the
     * Spark class path for the containers, and the JVM they run.
     *
     * @return the settings, for {@link SparkSubmitRunner.Builder#confs}
     */
    public Map<String, String> sparkProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : cluster.getConfig()) {
            properties.put("spark.hadoop." + entry.getKey(), entry.getValue());
        }
        // The mini clusters map hosts to racks with a class of their own test jar, which Spark's Hadoop client lacks.
        properties.put("spark.hadoop." + TOPOLOGY_MAPPING, DEFAULT_TOPOLOGY_MAPPING);
        properties.put("spark.yarn.jars", "local:" + emptyJar.toAbsolutePath());
        String classpath = String.join(java.io.File.pathSeparator,
                ChildJvm.sparkClasspath().stream().map(path -> path.toAbsolutePath().toString()).toList());
        properties.put("spark.driver.extraClassPath", classpath);
        properties.put("spark.executor.extraClassPath", classpath);
        String javaHome = System.getProperty("java.home");
        properties.put("spark.yarn.appMasterEnv.JAVA_HOME", javaHome);
        properties.put("spark.executorEnv.JAVA_HOME", javaHome);
        // In cluster mode the driver in the ApplicationMaster names its host itself: the loopback address, as
        // everywhere in the testkit (the machine's host name resolves oddly).
        for (String variable : List.of("SPARK_LOCAL_IP", "SPARK_LOCAL_HOSTNAME")) {
            properties.put("spark.yarn.appMasterEnv." + variable, ChildJvm.LOOPBACK);
            properties.put("spark.executorEnv." + variable, ChildJvm.LOOPBACK);
        }
        return properties;
    }

    /** @return the ids of every application the ResourceManager knows */
    public Set<ApplicationId> applicationIds() {
        Set<ApplicationId> ids = new HashSet<>();
        for (ApplicationReport report : applications()) {
            ids.add(report.getApplicationId());
        }
        return ids;
    }

    /** @return the ResourceManager's reports of every application, through a YarnClient */
    public List<ApplicationReport> applications() {
        try (YarnClient client = YarnClient.createYarnClient()) {
            client.init(cluster.getConfig());
            client.start();
            return client.getApplications();
        } catch (IOException | YarnException e) {
            throw new IllegalStateException("cannot list the applications of MiniYARNCluster", e);
        }
    }

    @Override
    public void close() {
        cluster.stop();
    }
}
