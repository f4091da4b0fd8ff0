package io.turbovbi.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Batches and the validation split follow from each sample's id, the same whatever shard holds it. */
class SampleHashTest {
  private static final long SEED = 11;

  /** A shard of the given ids (features and labels do not matter here). */
  private static Shard shard(long[] ids) {
    return new Shard(new float[ids.length], new int[ids.length], ids);
  }

  @Test
  void everySampleIsInExactlyOneBatchPerEpochWhateverTheShards() {
    int n = 10_000;
    int batches = 20;
    long[] all = LongStream.range(0, n).map(i -> i * 7 + 3).toArray();
    // One shard holding everything, and the same ids dealt at random to five shards.
    List<List<Long>> dealt = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      dealt.add(new ArrayList<>());
    }
    SplittableRandom random = new SplittableRandom(1);
    for (long id : all) {
      dealt.get(random.nextInt(5)).add(id);
    }
    Shard whole = shard(all);
    for (int epoch = 0; epoch < 3; epoch++) {
      int seen = 0;
      for (int b = 0; b < batches; b++) {
        long[] fromWhole = Arrays.stream(whole.members(SEED, epoch, batches, b)).mapToLong(i -> all[i]).sorted()
            .toArray();
        List<Long> fromParts = new ArrayList<>();
        for (List<Long> part : dealt) {
          long[] ids = part.stream().mapToLong(Long::longValue).toArray();
          for (int i : shard(ids).members(SEED, epoch, batches, b)) {
            fromParts.add(ids[i]);
          }
        }
        assertArrayEquals(fromWhole, fromParts.stream().mapToLong(Long::longValue).sorted().toArray(),
            "batch " + b + " of epoch " + epoch);
        // 500 on average; a binomial(10000, 1/20) stays within 6 standard deviations (about 22) of it.
        assertTrue(Math.abs(fromWhole.length - n / batches) < 6 * 22, "batch of " + fromWhole.length);
        seen += fromWhole.length;
      }
      assertEquals(n, seen);
    }
  }

  @Test
  void batchesChangeFromEpochToEpoch() {
    Shard whole = shard(LongStream.range(0, 1000).toArray());
    assertTrue(!Arrays.equals(whole.members(SEED, 0, 10, 0), whole.members(SEED, 1, 10, 0)));
  }

  @Test
  void theValidationShareIsAboutTheFractionAsked() {
    int n = 100_000;
    long held = LongStream.range(0, n).filter(id -> SampleHash.inValidation(SEED, id, 0.1)).count();
    // Binomial(100000, 0.1): standard deviation about 95.
    assertTrue(Math.abs(held - 10_000) < 500, held + " held out");
    SampleSource.Selection training = SampleSource.Selection.training(SEED, 0.1, 1);
    SampleSource.Selection validation = SampleSource.Selection.validation(SEED, 0.1);
    for (long id = 0; id < 1000; id++) {
      assertTrue(training.holds(id) != validation.holds(id), "sample " + id + " is in exactly one part");
    }
  }
}
