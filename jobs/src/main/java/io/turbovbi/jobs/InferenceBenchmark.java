package io.turbovbi.jobs;

import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.compress.SparseInference;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.spark.CompressedNetworkModel;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.apache.hadoop.conf.Configuration;

/**
 * Inference speed of a compressed model against the dense network it came from, on one thread: the dense network
 * (BLAS), the compressed network with its dense smaller layers (BLAS), and the compressed network multiplying only
 * its non-zero weights ({@link SparseInference}).
 */
final class InferenceBenchmark {
  private final PrintStream out;
  private final boolean json;
  private final double seconds;

  InferenceBenchmark(PrintStream out, boolean json, double seconds) {
    this.out = out;
    this.json = json;
    this.seconds = seconds;
  }

  /**
   * Measures one batch size: a JVM that has run one size carries JIT profiles that slow the next one down (seen:
   * sparse LeNet-5 at batch 256 2-4x slower after batch 1), so each size gets a run of its own.
   */
  void run(String modelPath, int batch) {
    LabeledSamples sample = BuiltInSample.test();
    float[] images = sample.features();
    int available = sample.size();
    if (batch < 1 || batch > available) {
      throw new ConfigException("--batch must be in [1, " + available + "], the size of the built-in test sample");
    }
    CompressedNetworkModel.ModelData data = CompressedNetworkModel.readData(new Configuration(), modelPath);
    String original = data.provenance().get("original_description");
    if (original == null) {
      throw new ConfigException(modelPath + " does not say which network it was compressed from");
    }
    Network dense = NetworkSpec.parse(original).build(data.channels(), data.height(), data.width(), data.classes(),
        LayerFactory.DETERMINISTIC);
    float[] denseParams = dense.initialParameters(1);
    Network compressed = data.network();
    MeanNetwork model = new MeanNetwork(NetworkSpec.parse(data.description()), compressed, data.params());
    SparseInference sparse = new SparseInference(model);
    float[] logits = new float[batch * data.classes()];
    double denseRate;
    try (GradientEngine engine = new GradientEngine(dense, 1, batch)) {
      denseRate = rate(batch, from -> engine.predict(denseParams, images, from, batch, logits), available);
    }
    double smallRate;
    try (GradientEngine engine = new GradientEngine(compressed, 1, batch)) {
      smallRate = rate(batch, from -> engine.predict(data.params(), images, from, batch, logits), available);
    }
    double sparseRate = rate(batch, from -> sparse.predict(images, from, batch), available);
    report(original, batch, "dense", denseRate, denseRate);
    report(original, batch, "compressed, dense layers", smallRate, denseRate);
    report(original, batch, "compressed, sparse layers", sparseRate, denseRate);
  }

  /** Samples per second of a forward pass over batches taken in turn from the sample, after a warm-up. */
  private double rate(int n, IntConsumer forward, int available) {
    int batches = available / n;
    long warmEnd = System.nanoTime() + (long) (Math.min(1.0, seconds / 2) * 1e9);
    int i = 0;
    while (System.nanoTime() < warmEnd) {
      forward.accept((i++ % batches) * n);
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long samples = 0;
    while (System.nanoTime() < end) {
      forward.accept((i++ % batches) * n);
      samples += n;
    }
    return samples / ((System.nanoTime() - start) / 1e9);
  }

  private void report(String network, int batch, String variant, double samplesPerSecond, double dense) {
    if (json) {
      out.println(new JsonLine().put("benchmark", "inference").put("network", network).put("batch", batch)
          .put("variant", variant).put("threads", 1).put("samples_per_s", samplesPerSecond)
          .put("speedup", samplesPerSecond / dense));
    } else {
      out.printf(Locale.ROOT, "%-14s batch %4d  %-26s %,12.0f samples/s  %6.1fx%n", network, batch, variant,
          samplesPerSecond, samplesPerSecond / dense);
    }
  }
}
