package io.turbovbi.jobs.benchmarks;

import io.turbovbi.compress.MeanNetwork;
import io.turbovbi.compress.SparseInference;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.output.JsonLine;
import io.turbovbi.spark.ml.CompressedNetworkModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.apache.hadoop.conf.Configuration;

/**
 * Inference speed of compressed models against the dense network they came from, side by side in one JVM, on one
 * thread: the dense network (BLAS), then for each model its network after unit removal with dense layers (BLAS) and
 * with each layer in the fastest of the kernels {@link SparseInference} measures. Every variant is measured in
 * {@value #ROUNDS} rounds that visit them all in turn; the median rate is reported.
 */
public final class InferenceBenchmark {
  private final PrintStream out;
  private final boolean json;
  private final double seconds;

  public InferenceBenchmark(PrintStream out, boolean json, double seconds) {
    this.out = out;
    this.json = json;
    this.seconds = seconds;
  }

  /**
   * Measures one batch size: a JVM that has run one size carries JIT profiles that slow the next one down (seen:
   * sparse LeNet-5 at batch 256 2-4x slower after batch 1), so each size gets a run of its own.
   *
   * @param models comma-separated {@code path} or {@code label=path} entries, all compressed from the same network
   */
  public void run(String models, int batch) {
    LabeledSamples sample = BuiltInSample.test();
    float[] images = sample.features();
    int available = sample.size();
    if (batch < 1 || batch > available) {
      throw new ConfigException("--batch must be in [1, " + available + "], the size of the built-in test sample");
    }
    List<String[]> entries = Arrays.stream(models.split(",")).map(String::trim).filter(e -> !e.isEmpty())
        .map(e -> e.contains("=") ? e.split("=", 2) : new String[] {e, e}).toList();
    if (entries.isEmpty()) {
      throw new ConfigException("--model needs at least one model folder");
    }
    List<CompressedNetworkModel.ModelData> data = new ArrayList<>();
    for (String[] entry : entries) {
      CompressedNetworkModel.ModelData model = CompressedNetworkModel.readData(new Configuration(), entry[1]);
      String original = model.provenance().get("original_description");
      if (original == null) {
        throw new ConfigException(entry[1] + " does not say which network it was compressed from");
      }
      if (!data.isEmpty() && !original.equals(data.get(0).provenance().get("original_description"))) {
        throw new ConfigException(entry[1] + " was compressed from " + original + ", not from "
            + data.get(0).provenance().get("original_description") + " like " + entries.get(0)[1]);
      }
      data.add(model);
    }
    CompressedNetworkModel.ModelData first = data.get(0);
    String original = first.provenance().get("original_description");
    Network dense = NetworkSpec.parse(original).build(first.channels(), first.height(), first.width(),
        first.classes(), LayerFactory.DETERMINISTIC);
    float[] denseParams = dense.initialParameters(1);
    float[] logits = new float[batch * first.classes()];
    List<Variant> variants = new ArrayList<>();
    List<GradientEngine> engines = new ArrayList<>();
    try {
      GradientEngine denseEngine = new GradientEngine(dense, 1, batch);
      engines.add(denseEngine);
      variants.add(new Variant("", "dense", "", "",
          from -> denseEngine.predict(denseParams, images, from, batch, logits)));
      for (int m = 0; m < data.size(); m++) {
        CompressedNetworkModel.ModelData model = data.get(m);
        Network compressed = model.network();
        GradientEngine engine = new GradientEngine(compressed, 1, batch);
        engines.add(engine);
        variants.add(new Variant(entries.get(m)[0], "dense layers", compressed.describe(), "",
            from -> engine.predict(model.params(), images, from, batch, logits)));
        MeanNetwork mean = new MeanNetwork(NetworkSpec.parse(model.description()), compressed, model.params());
        SparseInference sparse = new SparseInference(mean, batch);
        checkAgreement(entries.get(m)[1], sparse.predict(images, 0, batch), model, engine, images, batch);
        variants.add(new Variant(entries.get(m)[0], "best kernels", compressed.describe(),
            String.join(" / ", sparse.kernels()), from -> sparse.predict(images, from, batch)));
      }
      // rounds that visit every variant in turn, so that no variant profits from running later in the JVM
      double[][] rates = new double[variants.size()][ROUNDS];
      for (int round = 0; round < ROUNDS; round++) {
        for (int v = 0; v < variants.size(); v++) {
          rates[v][round] = rate(batch, variants.get(v).forward(), available);
        }
      }
      double denseRate = median(rates[0]);
      for (int v = 0; v < variants.size(); v++) {
        Variant variant = variants.get(v);
        report(original, batch, variant.variant(), variant.model(), variant.compressed(), median(rates[v]),
            denseRate, variant.kernels());
      }
    } finally {
      engines.forEach(GradientEngine::close);
    }
  }

  /**
   * Refuses to time kernels whose logits differ from the engine's on the first batch: a benchmark of a wrong
   * forward pass would report a speed that means nothing.
   */
  private static void checkAgreement(String path, float[] sparseLogits, CompressedNetworkModel.ModelData model,
                                     GradientEngine engine, float[] images, int batch) {
    float[] expected = new float[sparseLogits.length];
    engine.predict(model.params(), images, 0, batch, expected);
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - sparseLogits[i]) <= 1e-3 * (1 + Math.abs(expected[i])))) {
        throw new IllegalStateException("the chosen kernels of " + path + " give logit " + sparseLogits[i]
            + " where the engine gives " + expected[i] + " (entry " + i + "): not timed");
      }
    }
  }

  /** Rounds of measurement per variant; the median counts. */
  private static final int ROUNDS = 3;

  private record Variant(String model, String variant, String compressed, String kernels, IntConsumer forward) {}

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
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

  private void report(String network, int batch, String variant, String model, String compressed,
                      double samplesPerSecond, double dense, String kernels) {
    if (json) {
      out.println(new JsonLine().put("benchmark", "inference").put("network", network).put("batch", batch)
          .put("model", model).put("compressed", compressed).put("variant", variant).put("kernels", kernels)
          .put("threads", 1)
          .put("samples_per_s", samplesPerSecond).put("speedup", samplesPerSecond / dense));
    } else {
      out.printf(Locale.ROOT, "batch %4d  %-12s %-13s %,12.0f samples/s  %6.1fx  %s%n", batch, model, variant,
          samplesPerSecond, samplesPerSecond / dense, kernels);
    }
  }
}
