package io.turbovbi.nn;

/** Runs a task over an index range [0, length), possibly cut into slices that run in parallel. */
public interface RangeRunner {
  /** Work on the indices [from, to). */
  interface Task {
    void run(int from, int to);
  }

  void run(int length, Task task);

  /** Everything on the calling thread, in one slice. */
  RangeRunner SERIAL = (length, task) -> task.run(0, length);
}
