package io.turbovbi.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes the summed loss gradient of a batch over several threads: the batch is cut into one contiguous chunk per
 * thread, each thread runs forward and backward on its chunk with its own workspace and gradient buffer, and the
 * buffers are summed in a fixed order, so a given thread count always gives the same result.
 */
public final class GradientEngine implements RangeRunner, AutoCloseable {
  private final Network network;
  private final int threads;
  private final int maxBatch;
  private final Network.Workspace[] workspaces;
  private final float[][] rows;
  private final float[][] partialGradients;
  private final ExecutorService pool;

  /** Summed cross-entropy and correct predictions of a batch. */
  public record BatchLoss(double lossSum, int correct, int count) {
    public double accuracy() {
      return (double) correct / count;
    }
  }

  public GradientEngine(Network network, int threads, int maxBatch) {
    if (threads < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("need at least one thread and one sample, got " + threads + " threads, "
          + maxBatch + " samples");
    }
    this.network = network;
    this.threads = threads;
    this.maxBatch = maxBatch;
    int chunk = chunkCapacity(maxBatch, threads);
    this.workspaces = new Network.Workspace[threads];
    this.rows = new float[threads][];
    this.partialGradients = new float[threads][];
    for (int t = 0; t < threads; t++) {
      workspaces[t] = network.newWorkspace(chunk);
      rows[t] = new float[chunk * network.inputSize()];
      partialGradients[t] = t == 0 ? null : new float[network.parameterCount()];
    }
    this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, runnable -> {
      Thread thread = new Thread(runnable, "turbovbi-gradient");
      thread.setDaemon(true);
      return thread;
    }) : null;
  }

  private static int chunkCapacity(int batch, int threads) {
    return (batch + threads - 1) / threads;
  }

  public Network network() {
    return network;
  }

  public int threads() {
    return threads;
  }

  /**
   * Writes to {@code gradients} the gradient of the summed cross-entropy over the samples
   * {@code indices[from .. from+count)} of a data set (rows of {@code features}, {@code labels}), and returns the
   * summed loss. {@code noiseKeys[i]} is the noise key of sample {@code indices[from + i]}.
   */
  public BatchLoss gradient(float[] params, float[] features, int[] labels, int[] indices, int from, int count,
                            long[] noiseKeys, float[] gradients) {
    if (count < 1 || count > maxBatch) {
      throw new IllegalArgumentException("batch of " + count + " samples for an engine of at most " + maxBatch);
    }
    network.prepare(params, this);
    int chunk = chunkCapacity(count, threads);
    int used = (count + chunk - 1) / chunk;
    BatchLoss[] results = new BatchLoss[used];
    runParallel(used, t -> {
      int start = t * chunk;
      int n = Math.min(chunk, count - start);
      float[] target = t == 0 ? gradients : partialGradients[t];
      Arrays.fill(target, 0f);
      results[t] = chunkGradient(t, params, features, labels, indices, from + start, n,
          Arrays.copyOfRange(noiseKeys, start, start + n), target);
    });
    runParallel(threads, t -> sumSlice(t, used, gradients));
    network.finishGradient(params, gradients);
    double loss = 0;
    int correct = 0;
    for (BatchLoss r : results) {
      loss += r.lossSum();
      correct += r.correct();
    }
    return new BatchLoss(loss, correct, count);
  }

  private BatchLoss chunkGradient(int t, float[] params, float[] features, int[] labels, int[] indices, int from,
                                  int n, long[] keys, float[] target) {
    Network.Workspace workspace = workspaces[t];
    int d = network.inputSize();
    int classes = network.classes();
    int[] chunkLabels = new int[n];
    for (int s = 0; s < n; s++) {
      int sample = indices[from + s];
      System.arraycopy(features, sample * d, rows[t], s * d, d);
      chunkLabels[s] = labels[sample];
    }
    float[] logits = network.forward(params, rows[t], n, workspace, Pass.training(keys));
    SoftmaxCrossEntropy.Result loss = SoftmaxCrossEntropy.apply(logits, chunkLabels, 0, n, classes,
        workspace.gradLogits());
    network.backward(params, workspace.gradLogits(), n, workspace, target);
    return new BatchLoss(loss.lossSum(), loss.correct(), n);
  }

  /** Thread t adds slice t of every partial gradient to the result, so the sum itself runs in parallel. */
  private void sumSlice(int t, int used, float[] gradients) {
    int length = gradients.length;
    int slice = (length + threads - 1) / threads;
    int start = Math.min(length, t * slice);
    int end = Math.min(length, start + slice);
    for (int p = 1; p < used; p++) {
      float[] partial = partialGradients[p];
      for (int i = start; i < end; i++) {
        gradients[i] += partial[i];
      }
    }
  }

  /** Loss and correct predictions of the mean (evaluation) network over samples [from, from+count) of a data set. */
  public BatchLoss evaluate(float[] params, float[] features, int[] labels, int from, int count) {
    double[] losses = new double[count];
    int[] correct = new int[count];
    forEachChunk(params, features, from, count, (start, n, logits) -> {
      SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.apply(logits, labels, from + start, n,
          network.classes(), null);
      losses[start] = r.lossSum();
      correct[start] = r.correct();
    });
    return new BatchLoss(Arrays.stream(losses).sum(), Arrays.stream(correct).sum(), count);
  }

  /** Logits of the mean network for samples [from, from+count) of a data set, written row by row to out. */
  public void predict(float[] params, float[] features, int from, int count, float[] out) {
    int classes = network.classes();
    forEachChunk(params, features, from, count,
        (start, n, logits) -> System.arraycopy(logits, 0, out, start * classes, n * classes));
  }

  private interface ChunkConsumer {
    /** Receives the logits of samples [start, start+n) relative to the first sample of the request. */
    void accept(int start, int n, float[] logits);
  }

  /** Runs the mean network over chunks of a data set in parallel; each chunk's logits go to the consumer. */
  private void forEachChunk(float[] params, float[] features, int from, int count, ChunkConsumer consumer) {
    network.prepare(params, this);
    int chunk = workspaces[0].maxBatch();
    int pieces = (count + chunk - 1) / chunk;
    int d = network.inputSize();
    AtomicInteger next = new AtomicInteger();
    runParallel(Math.min(threads, pieces), t -> {
      for (int piece = next.getAndIncrement(); piece < pieces; piece = next.getAndIncrement()) {
        int start = piece * chunk;
        int n = Math.min(chunk, count - start);
        System.arraycopy(features, (from + start) * d, rows[t], 0, n * d);
        consumer.accept(start, n, network.forward(params, rows[t], n, workspaces[t], Pass.EVALUATION));
      }
    });
  }

  /** Runs the task in one contiguous slice per thread. */
  @Override
  public void run(int length, RangeRunner.Task task) {
    int slice = (length + threads - 1) / threads;
    runParallel(threads, t -> {
      int from = Math.min(length, t * slice);
      int to = Math.min(length, from + slice);
      if (from < to) {
        task.run(from, to);
      }
    });
  }

  private interface Task {
    void run(int thread);
  }

  private void runParallel(int tasks, Task task) {
    if (tasks == 1 || pool == null) {
      for (int t = 0; t < tasks; t++) {
        task.run(t);
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>(tasks - 1);
    for (int t = 1; t < tasks; t++) {
      int thread = t;
      futures.add(pool.submit(() -> task.run(thread)));
    }
    task.run(0);
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while computing gradients", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
