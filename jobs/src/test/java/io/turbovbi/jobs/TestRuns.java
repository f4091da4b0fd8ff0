package io.turbovbi.jobs;

import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.run.CompressJobs;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/** Small compress runs for tests: IDX files cut from the built-in sample, a fast configuration, output readers. */
final class TestRuns {
  static final int TRAIN = 1500;
  static final int TEST = 300;

  private TestRuns() {}

  /** A configuration that runs Turbo-VBI on a small network in a few seconds. */
  static Map<String, String> smallRun(String dataDir, String output) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("network", "dense(24) relu dense(10)");
    settings.put("data.format", "idx");
    settings.put("data.train", dataDir + "/train-images-idx3-ubyte");
    settings.put("data.train.labels", dataDir + "/train-labels-idx1-ubyte");
    settings.put("data.test", dataDir + "/t10k-images-idx3-ubyte");
    settings.put("data.test.labels", dataDir + "/t10k-labels-idx1-ubyte");
    settings.put("data.validation", "300");
    settings.put("train.batch", "100");
    settings.put("turbo.warmup.epochs", "1");
    settings.put("turbo.target.compression", "4");
    settings.put("turbo.ramp", "2");
    settings.put("turbo.hold", "1");
    settings.put("prior.bbar", "1e-5");
    settings.put("mrf.mode", "rows");
    settings.put("output", output);
    settings.put("threads", "2");
    return settings;
  }

  /** Writes the first TRAIN training and TEST test images of the built-in sample as raw IDX files. */
  static void writeIdx(Path dir) throws IOException {
    Files.createDirectories(dir);
    writeIdx(BuiltInSample.train().head(TRAIN), Files.newOutputStream(dir.resolve("train-images-idx3-ubyte")),
        Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte")));
    writeIdx(BuiltInSample.test().head(TEST), Files.newOutputStream(dir.resolve("t10k-images-idx3-ubyte")),
        Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte")));
  }

  static void writeIdx(LabeledSamples samples, OutputStream images, OutputStream labels) throws IOException {
    try (DataOutputStream out = new DataOutputStream(images)) {
      out.writeInt(0x00000803);
      out.writeInt(samples.size());
      out.writeInt(samples.shape().height());
      out.writeInt(samples.shape().width());
      for (float pixel : samples.features()) {
        out.writeByte(Math.round(pixel * 255));
      }
    }
    try (DataOutputStream out = new DataOutputStream(labels)) {
      out.writeInt(0x00000801);
      out.writeInt(samples.size());
      for (int label : samples.labels()) {
        out.writeByte(label);
      }
    }
  }

  /** Runs the launcher in this JVM and returns its exit status with what it printed. */
  record Outcome(int status, String out) {}

  static Outcome compress(Map<String, String> settings, String... flags) {
    return run("compress", settings, flags);
  }

  /** The command line of a launcher command: the command, {@code key=value} per setting, the flags. */
  static List<String> args(String command, Map<String, String> settings, String... flags) {
    List<String> args = new ArrayList<>(List.of(command));
    settings.forEach((key, value) -> args.add(key + "=" + value));
    args.addAll(List.of(flags));
    return args;
  }

  static Outcome run(String command, Map<String, String> settings, String... flags) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    PrintStream originalErr = System.err;
    PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(tee);
    System.setErr(tee);
    try {
      int status = Launcher.run(args(command, settings, flags).toArray(new String[0]));
      return new Outcome(status, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
      System.setErr(originalErr);
      original.print(captured.toString(StandardCharsets.UTF_8));
    }
  }

  /** Runs the compress job in this JVM, telling {@code afterCheckpoint} of each checkpoint. */
  static void compressWithHook(Map<String, String> settings, boolean resume, IntConsumer afterCheckpoint) {
    CompressJobs.compressWithHook(Config.load(null, settings), resume, afterCheckpoint);
  }

  /** Reads a little-endian float32 .npy file's values. */
  static float[] readFloats(InputStream in) throws IOException {
    try (DataInputStream data = new DataInputStream(in)) {
      byte[] magic = new byte[8];
      data.readFully(magic);
      int headerLength = (data.readUnsignedByte()) | (data.readUnsignedByte() << 8);
      byte[] header = new byte[headerLength];
      data.readFully(header);
      String text = new String(header, StandardCharsets.US_ASCII);
      if (!text.contains("'<f4'")) {
        throw new IOException("not float32: " + text);
      }
      byte[] body = data.readAllBytes();
      float[] values = new float[body.length / 4];
      ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return values;
    }
  }

  static float[] readFloats(Path file) throws IOException {
    return readFloats(Files.newInputStream(file));
  }

  /** Runs {@code work} with a local[1] Spark session on the loopback interface (to write test data), then stops it. */
  static void withLocalSpark(Consumer<SparkSession> work) {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("write").config("spark.ui.enabled",
        "false").config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    try {
      work.accept(spark);
    } finally {
      spark.stop();
    }
  }

  /** The variational parameters a finished run in {@code output} wrote. */
  static float[] params(Path output) throws IOException {
    return readFloats(output.resolve("result/variational/params.npy"));
  }

  /** The bytes of the first layer's final mask a finished run in {@code output} wrote. */
  static byte[] firstMask(Path output) throws IOException {
    return Files.readAllBytes(output.resolve("result/mask/layer-1.npy"));
  }

  /** The synchronisation rounds a run's printed epochs add up to. */
  static int rounds(String out) {
    Matcher m = Pattern.compile("(?m)^  epoch \\d+ .* (\\d+) rounds,").matcher(out);
    int rounds = 0;
    while (m.find()) {
      rounds += Integer.parseInt(m.group(1));
    }
    return rounds;
  }

  /** The iteration a run said it resumed after, or -1 if it did not resume. */
  static int resumedAfter(String out) {
    Matcher m = Pattern.compile("resuming after iteration (\\d+)").matcher(out);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  static double maxDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
