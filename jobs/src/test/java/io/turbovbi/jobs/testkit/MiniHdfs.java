package io.turbovbi.jobs.testkit;

import io.turbovbi.jobs.run.LocalClusterHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS (one NameNode, one or more DataNodes) inside the test JVM, bound to 127.0.0.1 on free ports, with
 * its storage in a temporary folder; starts in about 3 s (5-7 s the first time in a JVM, as classes load).
 *
 * <pre>{@code
 * try (MiniHdfs hdfs = MiniHdfs.start()) {
 *     String input = hdfs.uri("/data/train.parquet");          // hdfs://127.0.0.1:PORT/data/train.parquet
 *     FileSystem fs = hdfs.fileSystem();                       // owned by the fixture, closed with it
 *     SparkSession.builder()...config(hdfs.sparkProperties())  // spark.hadoop.dfs.replication=1 ...
 * }
 * }</pre>
 *
 * <p>Any JVM on this machine can use it while it runs, also the driver and executors of a {@link
 * StandaloneCluster} application: pass {@link #uri(String)} paths as job arguments and {@link #sparkProperties()}
 * as {@code --conf}; Spark's own Hadoop client (hadoop-client-api/-runtime, the same version) is all they need.
 * Permissions are off, so any user may write anywhere. Close a Spark session that used it before closing this.
 */
public final class MiniHdfs implements AutoCloseable {

    private final MiniDFSCluster cluster;
    private final Path baseDir;
    private final boolean ownsBaseDir;
    private final Configuration configuration;
    private final URI uri;
    private final List<FileSystem> fileSystems = new ArrayList<>();

    private MiniHdfs(MiniDFSCluster cluster, Path baseDir, boolean ownsBaseDir) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.ownsBaseDir = ownsBaseDir;
        this.configuration = new Configuration(cluster.getConfiguration(0));
        this.uri = URI.create("hdfs://" + ChildJvm.LOOPBACK + ":" + cluster.getNameNodePort());
        this.configuration.set(FileSystem.FS_DEFAULT_NAME_KEY, uri.toString());
    }

    /**
     * Starts one NameNode and one DataNode in a fresh temporary folder (deleted on close).
     *
     * @return the running file system
     */
    public static MiniHdfs start() {
        return start(1, null);
    }

    /**
     * Starts one NameNode and {@code dataNodes} DataNodes.
     *
     * @param dataNodes how many DataNodes (replication is set to {@code min(dataNodes, 3)})
     * @param baseDir   folder for the storage (kept on close), or {@code null} for a temporary one (deleted)
     * @return the running file system
     */
    public static MiniHdfs start(int dataNodes, Path baseDir) {
        if (dataNodes < 1) {
            throw new IllegalArgumentException("dataNodes must be at least 1, got " + dataNodes);
        }
        boolean owns = baseDir == null;
        try {
            Path dir = owns ? Files.createTempDirectory("turbovbi-minihdfs-") : Files.createDirectories(baseDir);
            Configuration conf = new Configuration();
            conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toAbsolutePath().toString());
            String anyLoopbackPort = ChildJvm.LOOPBACK + ":0";
            conf.set("dfs.namenode.rpc-bind-host", ChildJvm.LOOPBACK);
            conf.set("dfs.namenode.servicerpc-bind-host", ChildJvm.LOOPBACK);
            conf.set("dfs.namenode.http-bind-host", ChildJvm.LOOPBACK);
            conf.set("dfs.namenode.https-bind-host", ChildJvm.LOOPBACK);
            conf.set("dfs.namenode.http-address", anyLoopbackPort);
            conf.set("dfs.namenode.https-address", anyLoopbackPort);
            conf.set("dfs.namenode.secondary.http-address", anyLoopbackPort);
            conf.set("dfs.namenode.secondary.https-address", anyLoopbackPort);
            conf.set("dfs.namenode.backup.address", anyLoopbackPort);
            conf.set("dfs.namenode.backup.http-address", anyLoopbackPort);
            conf.set("dfs.datanode.address", anyLoopbackPort);
            conf.set("dfs.datanode.http.address", anyLoopbackPort);
            conf.set("dfs.datanode.https.address", anyLoopbackPort);
            conf.set("dfs.datanode.ipc.address", anyLoopbackPort);
            conf.set("dfs.datanode.hostname", ChildJvm.LOOPBACK);
            conf.set("dfs.journalnode.rpc-address", anyLoopbackPort);
            conf.set("dfs.journalnode.http-address", anyLoopbackPort);
            conf.setBoolean("dfs.permissions.enabled", false);
            conf.setInt("dfs.replication", Math.min(dataNodes, 3));
            MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, dir.toFile())
                    .numDataNodes(dataNodes)
                    .nameNodePort(0)
                    .nameNodeHttpPort(0)
                    .format(true)
                    .build();
            try {
                cluster.waitActive();
                return new MiniHdfs(cluster, dir, owns);
            } catch (IOException | RuntimeException e) {
                cluster.shutdown(owns);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start MiniDFSCluster", e);
        }
    }

    /** @return {@code hdfs://127.0.0.1:PORT}, without a trailing slash */
    public URI uri() {
        return uri;
    }

    /**
     * A full URI for an absolute path on this file system.
     *
     * @param absolutePath e.g. {@code /data/train.parquet}
     * @return e.g. {@code hdfs://127.0.0.1:PORT/data/train.parquet}
     */
    public String uri(String absolutePath) {
        if (!absolutePath.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + absolutePath);
        }
        return uri + absolutePath;
    }

    /** @return a copy of the cluster's client configuration, with {@code fs.defaultFS} set to {@link #uri()} */
    public Configuration configuration() {
        return new Configuration(configuration);
    }

    /**
     * A client of this file system, outside Hadoop's FileSystem cache, closed when this fixture closes.
     *
     * @return a new client
     */
    public synchronized FileSystem fileSystem() {
        try {
            FileSystem fs = FileSystem.newInstance(uri, configuration());
            fileSystems.add(fs);
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + uri, e);
        }
    }

    /**
     * Spark settings for clients of this file system ({@code spark.hadoop.*} reach the Hadoop configuration of the
     * driver and of the executors); add them with {@code SparkSession.Builder.config(Map)} or as {@code --conf}.
     *
     * @return the settings
     */
    public Map<String, String> sparkProperties() {
        return Map.of("spark.hadoop.dfs.replication", configuration.get("dfs.replication"));
    }

    /** @return the folder that holds the NameNode's and DataNodes' storage */
    public Path baseDir() {
        return baseDir;
    }

    /** @return the underlying MiniDFSCluster, for fault injection (e.g. {@code shutdownDataNode(i)}) */
    public MiniDFSCluster cluster() {
        return cluster;
    }

    /** Closes the clients handed out, stops every node and, unless given by the caller, deletes the storage. */
    @Override
    public synchronized void close() {
        for (FileSystem fs : fileSystems) {
            try {
                fs.close();
            } catch (IOException e) {
                // The cluster goes down anyway.
            }
        }
        fileSystems.clear();
        cluster.shutdown(false);
        if (ownsBaseDir && !ChildJvm.keepTempFiles()) {
            LocalClusterHome.delete(baseDir);
        }
    }
}
