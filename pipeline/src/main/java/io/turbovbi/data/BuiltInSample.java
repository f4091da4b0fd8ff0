package io.turbovbi.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A small Fashion-MNIST sample shipped on the classpath, for tests, examples and quick runs without any data files:
 * the first 10,000 training and the first 2,000 test images of Fashion-MNIST (Zalando Research, MIT licence), as
 * 1 x 28 x 28 images with pixels in [0, 1] and 10 classes.
 *
 * <p>The files live in {@code io/turbovbi/data/sample/} next to a README.txt (source, how the subset was made,
 * class balance, checksums) and LICENSE.txt; {@code pipeline/tools/make_fashion_sample.py} regenerates them from
 * the Debian package dataset-fashion-mnist. The subsets are prefixes of the original files, not stratified: the
 * training sample holds 942 to 1,027 images per class, the test sample 188 to 219.
 *
 * <p>Use {@link ValidationSplit} on {@link #train()} for tuning; {@link #test()} is for the final report only.
 */
public final class BuiltInSample {

  /** Shape of every image: 1 channel, 28 x 28 pixels. */
  public static final ImageShape SHAPE = new ImageShape(1, 28, 28);
  /** Number of classes. */
  public static final int NUM_CLASSES = 10;
  /** Number of samples in {@link #train()}. */
  public static final int TRAIN_SIZE = 10_000;
  /** Number of samples in {@link #test()}. */
  public static final int TEST_SIZE = 2_000;
  /** Class names of Fashion-MNIST, indexed by label. */
  public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** Classpath folder of the sample files. */
  static final String RESOURCE_DIR = "/io/turbovbi/data/sample/";

  private static final IdxReader READER = IdxReader.forClasses(NUM_CLASSES).withExpectedShape(SHAPE);

  private BuiltInSample() {}

  /** The first 10,000 Fashion-MNIST training images and labels, read afresh on each call (about 0.1 s). */
  public static LabeledSamples train() {
    return read("train", TRAIN_SIZE);
  }

  /** The first 2,000 Fashion-MNIST test images and labels, read afresh on each call. */
  public static LabeledSamples test() {
    return read("t10k", TEST_SIZE);
  }

  private static LabeledSamples read(String split, int expectedSize) {
    String images = RESOURCE_DIR + split + "-images-idx3-ubyte.gz";
    String labels = RESOURCE_DIR + split + "-labels-idx1-ubyte.gz";
    try (InputStream imageStream = open(images); InputStream labelStream = open(labels)) {
      LabeledSamples samples = READER.read(imageStream, "classpath:" + images, labelStream, "classpath:" + labels);
      if (samples.size() != expectedSize) {
        throw new IllegalStateException("classpath:" + images + " holds " + samples.size() + " images, expected "
            + expectedSize + ": the built-in sample does not match this class; regenerate it with "
            + "pipeline/tools/make_fashion_sample.py");
      }
      return samples;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the built-in sample " + images + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = BuiltInSample.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("built-in sample resource " + resource + " is missing from the classpath");
    }
    return in;
  }
}
