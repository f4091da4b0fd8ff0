package io.turbovbi.spark.train;

import io.turbovbi.nn.GradientEngine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Gradient engines kept alive in an executor JVM between tasks, so that a round does not rebuild the network and
 * its buffers. Tasks running at the same time in one executor borrow different engines.
 */
final class ExecutorEngines {
  private record Key(NetworkRecipe recipe, int threads, int maxBatch) {}

  private static final Map<Key, ConcurrentLinkedQueue<GradientEngine>> IDLE = new ConcurrentHashMap<>();

  private ExecutorEngines() {}

  /** An engine for the recipe; give it back with {@link #release} when the task is done. */
  static GradientEngine borrow(NetworkRecipe recipe, int threads, int maxBatch) {
    GradientEngine engine = IDLE.computeIfAbsent(new Key(recipe, threads, maxBatch),
        key -> new ConcurrentLinkedQueue<>()).poll();
    return engine != null ? engine : new GradientEngine(recipe.build(), threads, maxBatch);
  }

  static void release(NetworkRecipe recipe, int maxBatch, GradientEngine engine) {
    IDLE.get(new Key(recipe, engine.threads(), maxBatch)).add(engine);
  }
}
