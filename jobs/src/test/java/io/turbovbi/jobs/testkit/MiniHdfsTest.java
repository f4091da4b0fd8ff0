package io.turbovbi.jobs.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM HDFS fixture serves the Hadoop FileSystem API and Spark's Parquet source on hdfs://127.0.0.1. */
@Tag("hdfs")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MiniHdfsTest {

    @Test
    void fileWrittenThroughFileSystemApiReadsBackIdentically() throws Exception {
        java.nio.file.Path storage;
        long started = System.nanoTime();
        try (MiniHdfs hdfs = MiniHdfs.start()) {
            System.out.printf("MiniHdfs started in %d ms at %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), hdfs.uri());
            storage = hdfs.baseDir();
            assertTrue(hdfs.uri().toString().matches("hdfs://127\\.0\\.0\\.1:\\d+"), hdfs.uri().toString());
            byte[] content = "first line\nsecond line, with \u00e9\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
            Path file = new Path(hdfs.uri("/testkit/hello.txt"));
            FileSystem fs = hdfs.fileSystem();
            try (OutputStream out = fs.create(file)) {
                out.write(content);
            }
            assertEquals(content.length, fs.getFileStatus(file).getLen());
            byte[] back;
            try (InputStream in = fs.open(file)) {
                back = in.readAllBytes();
            }
            assertArrayEquals(content, back);
            // The configuration handed out points fs.defaultFS at the cluster: a bare path resolves to it.
            FileSystem viaDefault = FileSystem.newInstance(hdfs.configuration());
            try {
                assertTrue(viaDefault.exists(new Path("/testkit/hello.txt")));
            } finally {
                viaDefault.close();
            }
        }
        assertFalse(Files.exists(storage), "temporary storage is deleted on close");
    }

    @Test
    void localSparkWritesParquetToHdfsAndReadsItBack(@TempDir java.nio.file.Path scratch) throws Exception {
        try (MiniHdfs hdfs = MiniHdfs.start()) {
            SparkSession spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("minihdfs-parquet")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.local.dir", scratch.toString())
                    .config(new HashMap<String, Object>(hdfs.sparkProperties()))
                    .getOrCreate();
            try {
                String target = hdfs.uri("/testkit/squares.parquet");
                spark.range(0, 1000, 1, 4)
                        .selectExpr("id", "id * id AS square", "CAST(id AS STRING) AS label")
                        .write().parquet(target);
                Dataset<Row> back = spark.read().parquet(target);
                assertEquals(1000L, back.count());
                List<Row> sums = back.selectExpr("SUM(id)", "SUM(square)", "COUNT(DISTINCT label)").collectAsList();
                assertEquals(499_500L, sums.get(0).getLong(0));
                assertEquals(332_833_500L, sums.get(0).getLong(1));
                assertEquals(1000L, sums.get(0).getLong(2));
                assertTrue(hdfs.fileSystem().exists(new Path(target, "_SUCCESS")), "the commit marker is on HDFS");
            } finally {
                spark.stop();
            }
        }
    }
}
