package io.turbovbi.data;

import java.util.Objects;

/**
 * An in-memory labelled data set: N samples of D = {@code shape.size()} features each, stored row-major in one flat
 * {@code float[]} (sample i occupies {@code features[i*D .. (i+1)*D)}), and one class label per sample in
 * {@code [0, numClasses)}. Images read from IDX files hold pixels scaled to [0, 1].
 *
 * <p>The constructor checks everything a trainer relies on (lengths agree, at least one sample, labels in range,
 * finite features), so code that receives a {@code LabeledSamples} need not check again.
 *
 * <p>The arrays are not copied, for speed and memory (60,000 x 784 floats are 188 MB): the instance takes ownership
 * of the arrays given to the constructor, and {@link #features()} and {@link #labels()} return them as they are.
 * Treat them as read-only; writing into them bypasses the checks above.
 *
 * <p>Deliberately free of Spark and Hadoop types: the network engine uses it.
 */
public final class LabeledSamples {

  private final float[] features;
  private final int[] labels;
  private final ImageShape shape;
  private final int numClasses;

  /**
   * Wraps and checks the arrays (not copied, see the class comment).
   *
   * @param features row-major N x D values, D = {@code shape.size()}, all finite
   * @param labels N class labels, each in {@code [0, numClasses)}
   * @param shape the shape of one sample
   * @param numClasses number of classes, &gt; 0
   * @throws InvalidDataException if the lengths disagree, N is 0, a label is out of range or a feature is NaN or
   *     infinite (the message names the sample and, for features, the feature index)
   * @throws IllegalArgumentException if {@code numClasses <= 0}
   */
  public LabeledSamples(float[] features, int[] labels, ImageShape shape, int numClasses) {
    this(features, labels, shape, numClasses, true);
  }

  private LabeledSamples(float[] features, int[] labels, ImageShape shape, int numClasses, boolean check) {
    this.features = Objects.requireNonNull(features, "features");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.shape = Objects.requireNonNull(shape, "shape");
    this.numClasses = numClasses;
    if (check) {
      checkAll();
    }
  }

  private void checkAll() {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("number of classes must be positive, got " + numClasses);
    }
    int n = labels.length;
    int d = shape.size();
    if (n == 0) {
      throw new InvalidDataException("the data set is empty (0 samples)");
    }
    if (features.length != (long) n * d) {
      throw new InvalidDataException("features hold " + features.length + " values, expected " + n + " samples x "
          + d + " (shape " + shape + ") = " + (long) n * d);
    }
    for (int i = 0; i < n; i++) {
      int label = labels[i];
      if (label < 0 || label >= numClasses) {
        throw new InvalidDataException(
            "label of sample " + i + " is " + label + ", outside [0, " + numClasses + ")");
      }
    }
    for (int k = 0; k < features.length; k++) {
      // Float.isFinite is false for NaN and both infinities.
      if (!Float.isFinite(features[k])) {
        throw new InvalidDataException(
            "feature " + (k % d) + " of sample " + (k / d) + " is " + features[k] + " (features must be finite)");
      }
    }
  }

  /** Number of samples N (at least 1). */
  public int size() {
    return labels.length;
  }

  /** Number of features per sample D = {@code shape().size()}. */
  public int dim() {
    return shape.size();
  }

  /** Shape of one sample. */
  public ImageShape shape() {
    return shape;
  }

  /** Number of classes; every label lies in {@code [0, numClasses)}. */
  public int numClasses() {
    return numClasses;
  }

  /** The backing row-major N x D feature array itself (not a copy): read-only by contract. */
  public float[] features() {
    return features;
  }

  /** The backing label array itself (not a copy): read-only by contract. */
  public int[] labels() {
    return labels;
  }

  /** Label of sample {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** Feature {@code j} of sample {@code i}. */
  public float feature(int i, int j) {
    Objects.checkIndex(i, size());
    Objects.checkIndex(j, dim());
    return features[i * dim() + j];
  }

  /** A copy of the D features of sample {@code i}. */
  public float[] row(int i) {
    Objects.checkIndex(i, size());
    float[] row = new float[dim()];
    System.arraycopy(features, i * dim(), row, 0, dim());
    return row;
  }

  /** Copies the D features of sample {@code i} into {@code dest} starting at {@code offset}. */
  public void copyRow(int i, float[] dest, int offset) {
    Objects.checkIndex(i, size());
    System.arraycopy(features, i * dim(), dest, offset, dim());
  }

  /** Number of samples of each class, indexed by label. */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * The samples at {@code indices}, in that order, as a new data set with copied arrays, the same shape and the
   * same number of classes. Repeated indices are allowed (each repeat is a copy).
   *
   * @throws IllegalArgumentException if {@code indices} is empty
   * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())}
   */
  public LabeledSamples subset(int[] indices) {
    if (indices.length == 0) {
      throw new IllegalArgumentException("a subset needs at least one index");
    }
    int d = dim();
    float[] subFeatures = new float[Math.multiplyExact(indices.length, d)];
    int[] subLabels = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = Objects.checkIndex(indices[k], size());
      System.arraycopy(features, i * d, subFeatures, k * d, d);
      subLabels[k] = labels[i];
    }
    // Rows and labels come from a checked data set: no need to check them again.
    return new LabeledSamples(subFeatures, subLabels, shape, numClasses, false);
  }

  /** The first {@code n} samples as a new data set, {@code 1 <= n <= size()}. */
  public LabeledSamples head(int n) {
    if (n < 1 || n > size()) {
      throw new IllegalArgumentException("head size must be in [1, " + size() + "], got " + n);
    }
    float[] subFeatures = new float[Math.multiplyExact(n, dim())];
    System.arraycopy(features, 0, subFeatures, 0, subFeatures.length);
    int[] subLabels = new int[n];
    System.arraycopy(labels, 0, subLabels, 0, n);
    return new LabeledSamples(subFeatures, subLabels, shape, numClasses, false);
  }

  /** E.g. {@code "LabeledSamples[10000 samples, shape 1x28x28, 10 classes]"}. */
  @Override
  public String toString() {
    return "LabeledSamples[" + size() + " samples, shape " + shape + ", " + numClasses + " classes]";
  }
}
