package io.turbovbi.spark.train;

import io.turbovbi.nn.Seeds;
import java.io.Serializable;

/**
 * The samples of one partition, packed: features row-major ({@code count x dim}), labels, and each sample's stable
 * id, from which its validation split, its mini-batch in every epoch and its noise follow ({@link SampleHash}).
 */
public final class Shard implements Serializable {
  private static final long serialVersionUID = 2L;

  private final float[] features;
  private final int[] labels;
  private final long[] ids;
  /** The members of every batch of the epoch last asked for, and which (seed, epoch, batches) that was. */
  private transient int[][] plan;
  private transient long planKey;

  public Shard(float[] features, int[] labels, long[] ids) {
    if (labels.length != ids.length || (labels.length > 0 && features.length % labels.length != 0)
        || (labels.length == 0 && features.length != 0)) {
      throw new IllegalArgumentException("shard of " + labels.length + " labels, " + ids.length + " ids and "
          + features.length + " features");
    }
    this.features = features;
    this.labels = labels;
    this.ids = ids;
  }

  public int size() {
    return labels.length;
  }

  public float[] features() {
    return features;
  }

  public int[] labels() {
    return labels;
  }

  public long[] ids() {
    return ids;
  }

  /**
   * Local positions, in order, of this shard's samples that global mini-batch {@code batch} of the epoch takes. The
   * whole epoch's plan is made on the first call of an epoch (one hash per sample) and kept for its other rounds.
   */
  public synchronized int[] members(long seed, int epoch, int batches, int batch) {
    long key = Seeds.derive(seed, epoch, batches);
    if (plan == null || planKey != key) {
      plan = plan(seed, epoch, batches);
      planKey = key;
    }
    return plan[batch];
  }

  private int[][] plan(long seed, int epoch, int batches) {
    int[] batchOf = new int[ids.length];
    int[] counts = new int[batches];
    for (int i = 0; i < ids.length; i++) {
      batchOf[i] = SampleHash.batchOf(seed, epoch, ids[i], batches);
      counts[batchOf[i]]++;
    }
    int[][] members = new int[batches][];
    for (int b = 0; b < batches; b++) {
      members[b] = new int[counts[b]];
      counts[b] = 0;
    }
    for (int i = 0; i < ids.length; i++) {
      members[batchOf[i]][counts[batchOf[i]]++] = i;
    }
    return members;
  }
}
