package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.config.Secrets;
import io.turbovbi.output.RunOutput;
import io.turbovbi.spark.pipeline.CheckpointFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints are data, not objects, and resume only what they were made for: damaged checkpoints are detected and
 * passed over, a serialized object in their place is never built, a resume under other settings is refused, and no
 * secret setting reaches any output file.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CheckpointSafetyTest {
  private static final String SECRET = "s3cr3t-value-4711";
  @TempDir
  static Path temp;
  private static Path data;
  private static float[] reference;
  private static TestRuns.Outcome referenceOutcome;

  @BeforeAll
  static void referenceAndStoppedRuns() throws Exception {
    data = temp.resolve("data");
    TestRuns.writeIdx(data);
    Map<String, String> settings = settings("reference");
    settings.put("spark.hadoop.fs.s3a.secret.key", SECRET);
    referenceOutcome = TestRuns.compress(settings);
    assertEquals(0, referenceOutcome.status(), referenceOutcome.out());
    reference = TestRuns.params(temp.resolve("reference"));
    Map<String, String> stopped = settings("stopped");
    RuntimeException stop = assertThrows(RuntimeException.class, () -> TestRuns.compressWithHook(stopped, false,
        iteration -> {
          if (iteration == 2) {
            throw new IllegalStateException("stopped by the test after iteration 2");
          }
        }));
    assertEquals("stopped by the test after iteration 2", stop.getMessage());
  }

  private static Map<String, String> settings(String name) {
    Map<String, String> settings = TestRuns.smallRun(data.toString(), temp.resolve(name).toString());
    settings.put("cluster.master", "local[1]");
    return settings;
  }

  /** A copy of the run stopped after iteration 2 (checkpoints of iterations 1 and 2), to damage or resume. */
  private static Path stoppedRun(String name) throws IOException {
    Path copy = temp.resolve(name);
    try (Stream<Path> files = Files.walk(temp.resolve("stopped"))) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(temp.resolve("stopped").relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  /**
   * The newest checkpoint's file, without Hadoop's own .crc beside it, so that what detects damage is the
   * checkpoint's CRC32C and not the local file system's checksum.
   */
  private static Path newestState(Path run) throws IOException {
    Files.deleteIfExists(run.resolve("checkpoints/iteration-0002/.state.bin.crc"));
    return run.resolve("checkpoints/iteration-0002/state.bin");
  }

  @Test
  void twentyTruncationsAndTwentyBitFlipsAreEachDetectedAndTheOlderCheckpointIsUsed() throws Exception {
    Path run = stoppedRun("damaged");
    Path state = newestState(run);
    byte[] good = Files.readAllBytes(state);
    RunOutput output = new RunOutput(run.toString(), new Configuration());
    long seed = Long.getLong("turbovbi.test.damageSeed", System.nanoTime());
    System.out.println("damage drawn with seed " + seed + " (rerun with -Dturbovbi.test.damageSeed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    for (int trial = 0; trial < 40; trial++) {
      byte[] damaged;
      String what;
      if (trial < 20) {
        damaged = Arrays.copyOf(good, random.nextInt(good.length));
        what = "cut to " + damaged.length + " of " + good.length + " bytes";
      } else {
        int bit = random.nextInt(8 * good.length);
        damaged = good.clone();
        damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        what = "bit " + bit + " flipped";
      }
      Files.write(state, damaged);
      List<String> warnings = new ArrayList<>();
      int iteration = output.newestUsableCheckpoint(CheckpointFormat::read, warnings::add, "--overwrite")
          .orElseThrow().checkpoint().loop().iteration();
      assertEquals(1, iteration, what + ": falls back to iteration 1");
      assertEquals(1, warnings.size(), what + ": " + warnings);
      assertTrue(warnings.get(0).startsWith("checkpoint iteration-0002: "), warnings.get(0));
    }
    TestRuns.Outcome resumed = TestRuns.compress(settings("damaged"), "--resume");
    assertEquals(0, resumed.status(), resumed.out());
    assertTrue(resumed.out().contains("warning: checkpoint iteration-0002: "), resumed.out());
    assertEquals(1, TestRuns.resumedAfter(resumed.out()), resumed.out());
    double difference = TestRuns.maxDifference(reference, TestRuns.params(run));
    assertTrue(difference < 1e-5, "the resumed run differs from the uninterrupted one by " + difference);
    assertEquals(historyBeforeTimings(temp.resolve("reference"), 3), historyBeforeTimings(run, 3),
        "the header, warm-up and iteration 1 rows come back from the checkpoint's JSON exactly");
  }

  /** The first {@code rows} rows of a run's history.csv, cut before the first timing column. */
  private static List<String> historyBeforeTimings(Path run, int rows) throws IOException {
    return Files.readAllLines(run.resolve("result/history.csv")).subList(0, rows).stream()
        .map(row -> String.join(",", Arrays.asList(row.split(",")).subList(0, 7))).toList();
  }

  /** Built only by Java deserialization: its readObject sets the flag. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    static volatile boolean deserialized;

    private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      deserialized = true;
    }
  }

  @Test
  void aSerializedObjectInPlaceOfACheckpointIsNeverBuilt() throws Exception {
    Path run = stoppedRun("gadget");
    Path planted = run.resolve("checkpoints/iteration-0009/state.bin");
    Files.createDirectories(planted.getParent());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new Gadget());
    }
    Files.write(planted, bytes.toByteArray());
    List<String> warnings = new ArrayList<>();
    int iteration = new RunOutput(run.toString(), new Configuration()).newestUsableCheckpoint(CheckpointFormat::read,
        warnings::add, "--overwrite").orElseThrow().checkpoint().loop().iteration();
    assertEquals(2, iteration, "the planted file is passed over");
    assertTrue(warnings.get(0).startsWith("checkpoint iteration-0009: "), warnings.toString());
    assertFalse(Gadget.deserialized, "the planted object was built");
  }

  @Test
  void noMainCodeUsesJavaDeserialization() throws IOException {
    for (Path sources : List.of(Path.of("src/main/java"), Path.of("../pipeline/src/main/java"))) {
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          assertFalse(Files.readString(file).contains("ObjectInputStream"), file + " uses ObjectInputStream");
        }
      }
    }
  }

  @Test
  void resumingWithAnotherSeedMethodOrPriorIsRefusedNamingTheKey() throws Exception {
    Path run = stoppedRun("changed");
    for (Map.Entry<String, String> change : Map.of("seed", "2", "method", "iid", "prior.bbar", "0.0001").entrySet()) {
      Map<String, String> settings = settings("changed");
      settings.put(change.getKey(), change.getValue());
      TestRuns.Outcome outcome = TestRuns.compress(settings, "--resume");
      assertEquals(Launcher.EXIT_USAGE, outcome.status(), outcome.out());
      assertTrue(outcome.out().contains("error: --resume: " + change.getKey() + " is '" + change.getValue()
          + "' but the checkpoints in "), outcome.out());
    }
    try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
      assertEquals(List.of("iteration-0001", "iteration-0002"), files.map(p -> p.getFileName().toString())
          .sorted().toList(), "the refused resumes left the checkpoints as they were");
    }
  }

  @Test
  void checkpointNamesSortByNumberPastTenThousandIterations() throws Exception {
    Path run = stoppedRun("many");
    Path checkpoints = run.resolve("checkpoints");
    Files.move(checkpoints.resolve("iteration-0002"), checkpoints.resolve("iteration-10000"));
    Files.move(checkpoints.resolve("iteration-0001"), checkpoints.resolve("iteration-9999"));
    RunOutput output = new RunOutput(run.toString(), new Configuration());
    assertEquals(2, output.newestUsableCheckpoint(CheckpointFormat::read, warning -> { }, "--overwrite").orElseThrow()
        .checkpoint().loop().iteration(),
        "iteration-10000 is newer than iteration-9999 (it holds iteration 2's state)");
  }

  @Test
  void aSecretSettingReachesNoOutputFileAndNoLog() throws IOException {
    assertFalse(referenceOutcome.out().contains(SECRET), "the job's output shows the secret");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(temp.resolve("reference"))) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() > 10, files.toString());
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    for (Path file : files) {
      byte[] content = Files.readAllBytes(file);
      for (int i = 0; i + secret.length <= content.length; i++) {
        assertFalse(Arrays.equals(content, i, i + secret.length, secret, 0, secret.length), file + " holds it");
      }
    }
    String metrics = Files.readString(temp.resolve("reference/result/metrics.json"));
    assertTrue(metrics.contains("\"spark.hadoop.fs.s3a.secret.key\": \"" + Secrets.REDACTED + "\""), metrics);
  }
}
