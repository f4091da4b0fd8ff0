package io.turbovbi.jobs.run;

import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.jobs.config.ConfigKeys;
import io.turbovbi.spark.train.TurboKryoRegistrator;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a job: spark-submit's settings, then the configuration's, then this project's needs. */
public final class SparkSetup {
  private static final String HADOOP_PREFIX = "spark.hadoop.";

  private SparkSetup() {}

  public static SparkSession session(Config config, String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    config.sparkSettings().forEach(conf::set);
    if (!conf.contains("spark.master")) {
      conf.setMaster(config.required(ConfigKeys.CLUSTER_MASTER));
    }
    if (conf.get("spark.master").startsWith("local-cluster") && System.getenv("SPARK_HOME") == null) {
      throw new ConfigException("the master " + conf.get("spark.master") + " starts executor JVMs from SPARK_HOME/jars,"
          + " and SPARK_HOME is not set: give cluster.master=local-cluster[...] on the command line of"
          + " java -jar turbovbi.jar (not in a --conf file; the launcher then lays out a SPARK_HOME of this jar's class"
          + " path), or set SPARK_HOME to a Spark installation of the same version");
    }
    if (conf.get("spark.master").startsWith("local")) {
      // An embedded run binds to the loopback interface: host names resolve oddly on some machines.
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
          .setIfMissing("spark.ui.enabled", "false");
    }
    // A round's result is a gradient of a few MB: send it with the task status instead of through the block
    // manager, and do not spend time compressing float arrays that do not compress.
    conf.setIfMissing("spark.task.maxDirectResultSize", "256m").setIfMissing("spark.broadcast.compress", "false")
        .setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        .setIfMissing("spark.executor.extraJavaOptions", "-XX:+UseParallelGC --add-modules=jdk.incubator.vector");
    conf.setIfMissing("spark.task.cpus", config.required(ConfigKeys.CLUSTER_TASK_THREADS));
    // The packed shards stay on the executors that packed them, for the whole run: wait for every executor asked
    // for (Spark waits at most spark.scheduler.maxRegisteredResourcesWaitingTime, 30 s), not for Spark's default
    // 80%, which left one of four executors holding two shards and another none.
    conf.setIfMissing("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    TurboKryoRegistrator.configure(conf);
    SparkSession session = SparkSession.builder().config(conf).getOrCreate();
    session.sparkContext().setLogLevel("WARN");
    return session;
  }

  /**
   * The Hadoop configuration a job reads its data and writes its output with before (and without) Spark: Hadoop's
   * defaults plus the configuration's {@code spark.hadoop.*} settings, as Spark would pass them on.
   */
  static Configuration hadoopConfiguration(Config config) {
    Configuration hadoop = new Configuration();
    config.sparkSettings().forEach((key, value) -> {
      if (key.startsWith(HADOOP_PREFIX)) {
        hadoop.set(key.substring(HADOOP_PREFIX.length()), value);
      }
    });
    return hadoop;
  }

  /** Partitions of the training data: {@code cluster.partitions}, or one per task slot of the cluster. */
  public static int partitions(Config config, JavaSparkContext spark) {
    int configured = config.integer(ConfigKeys.CLUSTER_PARTITIONS);
    return configured > 0 ? configured
        : Math.max(1, spark.defaultParallelism() / config.integer(ConfigKeys.CLUSTER_TASK_THREADS));
  }
}
