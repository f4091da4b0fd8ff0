package io.turbovbi.jobs.benchmarks;

import io.turbovbi.bayes.GaussianKl;
import io.turbovbi.bayes.LogVarCap;
import io.turbovbi.bayes.VariationalLayers;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.jobs.config.ConfigException;
import io.turbovbi.nn.Adam;
import io.turbovbi.nn.Blas;
import io.turbovbi.nn.GradientEngine;
import io.turbovbi.nn.Kernels;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.Trainer;
import io.turbovbi.nn.Update;
import io.turbovbi.output.JsonLine;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Training throughput of the engine: Adam steps on the built-in sample for each model, mode (deterministic or
 * variational) and thread count, after a warm-up, reported as samples per second and GFLOP/s of useful work.
 */
public final class EngineBenchmark {
  record Case(String model, String mode, int threads) {}

  private final int batch;
  private final double seconds;
  private final double warmUpSeconds;
  private final PrintStream out;
  private final boolean json;

  public EngineBenchmark(int batch, double seconds, double warmUpSeconds, PrintStream out, boolean json) {
    this.batch = batch;
    this.seconds = seconds;
    this.warmUpSeconds = warmUpSeconds;
    this.out = out;
    this.json = json;
  }

  public void run(List<String> models, List<String> modes, List<Integer> threads) {
    LabeledSamples train = BuiltInSample.train();
    if (!json) {
      out.printf(Locale.ROOT, "BLAS %s, %s kernels, batch %d, %.0f s per case%n", Blas.implementation(),
          Kernels.implementation(), batch, seconds);
    }
    for (String model : models) {
      for (String mode : modes) {
        for (int t : threads) {
          measure(new Case(model, mode, t), train);
        }
      }
    }
  }

  private void measure(Case c, LabeledSamples train) {
    boolean variational = switch (c.mode()) {
      case "deterministic" -> false;
      case "variational" -> true;
      default -> throw new ConfigException("mode must be deterministic or variational, got " + c.mode());
    };
    Network network = NetworkSpec.parse(c.model()).build(1, 28, 28, 10,
        variational ? new VariationalLayers(-10) : LayerFactory.DETERMINISTIC);
    float[] params = network.initialParameters(1);
    GaussianKl kl = null;
    List<Update.Constraint> constraints = List.of();
    if (variational) {
      kl = new GaussianKl(network);
      constraints = List.of(new LogVarCap(network, -8));
    }
    try (GradientEngine engine = new GradientEngine(network, c.threads(), batch)) {
      Trainer trainer = new Trainer(engine, new Update(new Adam(network, 1e-3, 1e-3), kl, constraints, engine), batch,
          1);
      float[] features = train.features();
      int[] labels = train.labels();
      int[] order = Trainer.epochOrder(1, 0, labels.length);
      int steps = labels.length / batch;
      // Warm-up: let the JIT compile the hot loops before timing.
      long warmUpEnd = System.nanoTime() + (long) (warmUpSeconds * 1e9);
      int step = 0;
      while (System.nanoTime() < warmUpEnd) {
        trainer.step(params, features, labels, order, (step++ % steps) * batch, batch, 0);
      }
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long samples = 0;
      while (System.nanoTime() < end) {
        trainer.step(params, features, labels, order, (step++ % steps) * batch, batch, 0);
        samples += batch;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      double samplesPerSecond = samples / elapsed;
      double gflops = samplesPerSecond * network.trainingFlops() / 1e9;
      if (json) {
        out.println(new JsonLine().put("engine", "turbovbi").put("model", c.model()).put("mode", c.mode())
            .put("threads", c.threads()).put("batch", batch).put("samples_per_s", samplesPerSecond)
            .put("gflops", gflops).put("blas", Blas.implementation()).put("kernels", Kernels.implementation())
            .put("seconds", elapsed));
      } else {
        out.printf(Locale.ROOT, "%-9s %-13s threads %d  %,10.0f samples/s  %6.1f GFLOP/s%n", c.model(), c.mode(),
            c.threads(), samplesPerSecond, gflops);
      }
    }
  }
}
