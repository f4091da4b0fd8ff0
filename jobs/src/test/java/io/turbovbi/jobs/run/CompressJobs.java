package io.turbovbi.jobs.run;

import io.turbovbi.jobs.config.Config;
import java.util.function.IntConsumer;

/** The compress job's test hook, for the tests outside this package: a run told of every checkpoint written. */
public final class CompressJobs {
  private CompressJobs() {}

  /** Runs the compress job in this JVM, telling {@code afterCheckpoint} of each checkpoint. */
  public static void compressWithHook(Config config, boolean resume, IntConsumer afterCheckpoint) {
    new CompressJob(config, System.out, false, !resume, resume, afterCheckpoint).run();
  }
}
