package io.turbovbi.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.nn.Optimizer;
import io.turbovbi.turbo.TurboVbi;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The checkpoint file format: what is written reads back exactly, and any damage is detected. */
class CheckpointFormatTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(12);

  private static double[][] doubles(int... lengths) {
    return Arrays.stream(lengths).mapToObj(n -> RANDOM.doubles(n).toArray()).toArray(double[][]::new);
  }

  private static CheckpointFormat.Saved sample() {
    double[][][] moduleA = {new double[0][], doubles(3, 5)};
    TurboVbi.State loop = new TurboVbi.State(3, doubles(6, 4), doubles(6, 4), doubles(6, 4), doubles(6, 4),
        doubles(10, 7), moduleA, doubles(6, 4), null, new double[] {Double.NaN, 1234.5}, List.of());
    float[] params = new float[23];
    for (int i = 0; i < params.length; i++) {
      params[i] = (float) RANDOM.nextGaussian();
    }
    Optimizer.State optimizer = new Optimizer.State(41, new float[][] {params.clone(), new float[23]});
    return new CheckpointFormat.Saved(new Checkpoint("dense(2) relu dense(2)", loop, params, optimizer, 7),
        "run-1", Map.of("seed", "1", "method", "turbo"));
  }

  private static byte[] bytes(CheckpointFormat.Saved saved) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointFormat.write(saved, out);
    return out.toByteArray();
  }

  @Test
  void everyArrayCounterAndSettingReadsBackExactly() throws Exception {
    CheckpointFormat.Saved saved = sample();
    CheckpointFormat.Saved read = CheckpointFormat.read(bytes(saved));
    Checkpoint a = saved.checkpoint();
    Checkpoint b = read.checkpoint();
    assertEquals(saved.run(), read.run());
    assertEquals(saved.settings(), read.settings());
    assertEquals(a.network(), b.network());
    assertEquals(a.epochsDone(), b.epochsDone());
    assertArrayEquals(a.params(), b.params());
    assertEquals(a.optimizer().steps(), b.optimizer().steps());
    assertArrayEquals(a.optimizer().buffers(), b.optimizer().buffers());
    assertEquals(a.loop().iteration(), b.loop().iteration());
    assertArrayEquals(a.loop().pi(), b.loop().pi());
    assertArrayEquals(a.loop().pit(), b.loop().pit());
    assertArrayEquals(a.loop().precision(), b.loop().precision());
    assertArrayEquals(a.loop().secondMoment(), b.loop().secondMoment());
    assertArrayEquals(a.loop().messages(), b.loop().messages());
    assertArrayEquals(a.loop().moduleA(), b.loop().moduleA());
    assertArrayEquals(a.loop().previousMeans(), b.loop().previousMeans());
    assertNull(b.loop().previousPit());
    assertArrayEquals(a.loop().controller(), b.loop().controller(), "the controller's held and last passing cost");
    assertEquals(a.loop().history(), b.loop().history());
  }

  @Test
  void twentyRandomTruncationsAndTwentyRandomBitFlipsAreEachDetected() throws Exception {
    byte[] good = bytes(sample());
    long seed = Long.getLong("turbovbi.test.damageSeed", System.nanoTime());
    System.out.println("damage drawn with seed " + seed + " (rerun with -Dturbovbi.test.damageSeed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    for (int trial = 0; trial < 20; trial++) {
      int length = random.nextInt(good.length);
      byte[] truncated = Arrays.copyOf(good, length);
      assertThrows(IllegalArgumentException.class, () -> CheckpointFormat.read(truncated), "cut to " + length);
    }
    for (int trial = 0; trial < 20; trial++) {
      int bit = random.nextInt(8 * good.length);
      byte[] flipped = good.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CheckpointFormat.read(flipped), "bit " + bit + " flipped");
      assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }
  }

  @Test
  void anotherFormatVersionIsRefusedByName() throws Exception {
    String header = "{\"format\":\"" + CheckpointFormat.FORMAT + "\",\"version\":99,\"arrays\":[]}";
    java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + header.length());
    file.putInt(header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(file.array(), 0, file.position());
    file.putInt((int) crc.getValue());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CheckpointFormat.read(file.array()));
    assertEquals("checkpoint format 99, this version reads " + CheckpointFormat.VERSION, e.getMessage());
  }
}
