package io.turbovbi.jobs;

import io.turbovbi.turbo.IterationRecord;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Prints one line per outer iteration: as text for people, or as a JSON object. */
final class HistoryPrinter implements Consumer<IterationRecord> {
  private final PrintStream out;
  private final boolean json;

  HistoryPrinter(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  @Override
  public void accept(IterationRecord r) {
    if (json) {
      out.println(new JsonLine().put("event", "iteration").put("iteration", r.iteration()).put("loss", r.meanLoss())
          .put("kl", r.kl()).put("validation_accuracy", r.heldOutAccuracy())
          .put("active_share", Arrays.toString(r.activeShare())).put("compression", r.compression())
          .put("pit_change", r.pitChange()).put("mu_change", r.meanChange())
          .put("bp_sweeps", Arrays.toString(r.bpSweeps())).put("seconds_module_a", r.secondsModuleA())
          .put("seconds_module_b", r.secondsModuleB()).put("seconds_w_step", r.secondsWStep()));
      return;
    }
    String shares = Arrays.stream(r.activeShare()).mapToObj(s -> String.format(Locale.ROOT, "%.3f", s))
        .collect(Collectors.joining(" "));
    out.printf(Locale.ROOT,
        "%s  loss %.4f  KL %.4g  val acc %.4f  active [%s]  compression %.1fx  d(pit) %.3g  d(mu) %.3g  "
            + "A %.2fs B %.2fs w %.1fs%n",
        r.iteration() == 0 ? "warm-up  " : String.format(Locale.ROOT, "iter %-4d", r.iteration()), r.meanLoss(),
        r.kl(), r.heldOutAccuracy(), shares, r.compression(), r.pitChange(), r.meanChange(), r.secondsModuleA(),
        r.secondsModuleB(), r.secondsWStep());
  }
}
