package io.turbovbi.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The samples of one partition, packed: features row-major ({@code count x dim}), labels, and each sample's index in
 * the whole training set, sorted, so that a partition finds its members of a global mini-batch by binary search.
 */
public final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] features;
  private final int[] labels;
  private final int[] ids;

  public Shard(float[] features, int[] labels, int[] ids) {
    if (labels.length != ids.length || (labels.length > 0 && features.length % labels.length != 0)) {
      throw new IllegalArgumentException("shard of " + labels.length + " labels, " + ids.length + " ids and "
          + features.length + " features");
    }
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] <= ids[i - 1]) {
        throw new IllegalArgumentException("shard ids must be strictly increasing");
      }
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

  public int[] ids() {
    return ids;
  }

  /** Local positions of those of the given global sample ids that this shard holds, in the order given. */
  public int[] localPositions(int[] globalIds) {
    int[] found = new int[globalIds.length];
    int count = 0;
    for (int id : globalIds) {
      int position = Arrays.binarySearch(ids, id);
      if (position >= 0) {
        found[count++] = position;
      }
    }
    return Arrays.copyOf(found, count);
  }
}
