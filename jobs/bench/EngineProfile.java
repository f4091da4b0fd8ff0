import io.turbovbi.bayes.GaussianKl;
import io.turbovbi.bayes.LogVarCap;
import io.turbovbi.bayes.VariationalLayers;
import io.turbovbi.data.BuiltInSample;
import io.turbovbi.data.LabeledSamples;
import io.turbovbi.nn.Adam;
import io.turbovbi.nn.FlattenLayer;
import io.turbovbi.nn.Layer;
import io.turbovbi.nn.LayerFactory;
import io.turbovbi.nn.Network;
import io.turbovbi.nn.NetworkSpec;
import io.turbovbi.nn.Pass;
import io.turbovbi.nn.SoftmaxCrossEntropy;
import io.turbovbi.nn.Trainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where one thread's training step goes, per layer and phase: runs the engine's step piece by piece (forward and
 * backward of every layer, the step's shared preparation, the optimiser with the KL and the cap) with a clock
 * around each piece, and prints the share of each. The clock is the thread's CPU time, not the wall clock, so that
 * other processes on a shared machine distort the split less. Run from the repository root after a build:
 * {@code OPENBLAS_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp 'jobs/target/lib/*'
 * jobs/bench/EngineProfile.java lenet5 variational 10}
 */
public final class EngineProfile {
  private static final Map<String, Long> NANOS = new LinkedHashMap<>();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    String model = args.length > 0 ? args[0] : "lenet5";
    boolean variational = args.length <= 1 || args[1].equals("variational");
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
    int batch = 128;
    Network network = NetworkSpec.parse(model).build(1, 28, 28, 10,
        variational ? new VariationalLayers(-10) : LayerFactory.DETERMINISTIC);
    float[] params = network.initialParameters(1);
    Adam adam = new Adam(network, 1e-3, 1e-3);
    GaussianKl kl = variational ? new GaussianKl(network) : null;
    LogVarCap cap = variational ? new LogVarCap(network, -8) : null;
    LabeledSamples train = BuiltInSample.train();
    int d = network.inputSize();
    int[] order = Trainer.epochOrder(1, 0, train.labels().length);
    Layer.Buffers[] buffers = network.layers().stream().map(l -> l.newBuffers(batch)).toArray(Layer.Buffers[]::new);
    float[] rows = new float[batch * d];
    float[] spatial = new float[batch * d];
    float[] gradLogits = new float[batch * network.classes()];
    float[] gradients = new float[network.parameterCount()];
    int[] labels = new int[batch];
    int steps = train.labels().length / batch;
    long warmUpEnd = System.nanoTime() + 3_000_000_000L;
    boolean timing = false;
    long start = 0;
    long samples = 0;
    for (int step = 0; ; step++) {
      long now = System.nanoTime();
      if (!timing && now > warmUpEnd) {
        timing = true;
        NANOS.clear();
        start = now;
        samples = 0;
      }
      if (timing && now > start + (long) (seconds * 1e9)) {
        break;
      }
      int from = (step % steps) * batch;
      long[] keys = Trainer.noiseKeys(1, 0, order, from, batch);
      long t = THREADS.getCurrentThreadCpuTime();
      for (int s = 0; s < batch; s++) {
        System.arraycopy(train.features(), order[from + s] * d, rows, s * d, d);
        labels[s] = train.labels()[order[from + s]];
      }
      Arrays.fill(gradients, 0f);
      network.prepare(params);
      t = lap("step: gather, zero gradients, prepare (exp of log-variances)", t);
      float[] activation = rows;
      if (network.layers().get(0).spatialInput()) {
        FlattenLayer.toChannelMajor(rows, batch, 1, d, spatial);
        activation = spatial;
      }
      for (int i = 0; i < network.layers().size(); i++) {
        Layer layer = network.layers().get(i);
        activation = layer.forward(params, network.offset(i), activation, batch, buffers[i], Pass.training(keys));
        t = lap("forward  " + (i + 1) + " " + layer.describe(), t);
      }
      SoftmaxCrossEntropy.apply(activation, labels, 0, batch, network.classes(), gradLogits);
      t = lap("loss", t);
      float[] grad = gradLogits;
      for (int i = network.layers().size() - 1; i >= 0; i--) {
        Layer layer = network.layers().get(i);
        grad = layer.backward(params, network.offset(i), grad, batch, buffers[i], gradients, i > 0);
        t = lap("backward " + (i + 1) + " " + layer.describe(), t);
      }
      network.finishGradient(params, gradients);
      t = lap("update: finish gradient (chain to log-variance)", t);
      adam.beginStep();
      float scale = 1f / batch;
      for (int i = 0; i < gradients.length; i++) {
        gradients[i] *= scale;
      }
      t = lap("update: scale", t);
      if (kl != null) {
        kl.addGradient(params, gradients, 1.0 / train.labels().length, 0, params.length);
        t = lap("update: KL gradient", t);
      }
      adam.step(params, gradients, 0, params.length);
      t = lap("update: Adam", t);
      if (cap != null) {
        cap.apply(params, 0, params.length);
        lap("update: log-variance cap", t);
      }
      samples += batch;
    }
    double total = NANOS.values().stream().mapToLong(Long::longValue).sum();
    long timedSamples = samples;
    System.out.printf(Locale.ROOT, "%s %s, 1 thread, batch %d: %,.0f samples per CPU second%n", model,
        variational ? "variational" : "deterministic", batch, samples / (total / 1e9));
    NANOS.forEach((name, nanos) -> System.out.printf(Locale.ROOT, "%6.1f%%  %8.2f us/sample  %s%n",
        100 * nanos / total, nanos / 1e3 / timedSamples, name));
  }

  private static long lap(String name, long since) {
    long now = THREADS.getCurrentThreadCpuTime();
    NANOS.merge(name, now - since, Long::sum);
    return now;
  }
}
