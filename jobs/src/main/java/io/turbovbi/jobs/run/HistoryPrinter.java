package io.turbovbi.jobs.run;

import io.turbovbi.output.JsonLine;
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
      out.println(new JsonLine().put("event", "iteration").put("iteration", r.iteration()).put("epochs", r.epochs())
          .put("loss", r.meanLoss()).put("kl", r.kl()).put("validation_accuracy", r.heldOutAccuracy())
          .put("validation_accuracy_unmasked", r.denseAccuracy())
          .put("active_share", Arrays.toString(r.activeShare())).put("compression", r.compression())
          .put("compression_after_removal", r.prunedCompression()).put("flops", r.flops())
          .put("offset", r.offset()).put("guard_tripped", r.guardTripped())
          .put("pit_change", r.pitChange()).put("mu_change", r.meanChange())
          .put("bp_sweeps", Arrays.toString(r.bpSweeps())).put("seconds_module_a", r.secondsModuleA())
          .put("seconds_module_b", r.secondsModuleB()).put("seconds_w_step", r.secondsWStep()));
      return;
    }
    String shares = Arrays.stream(r.activeShare()).mapToObj(s -> String.format(Locale.ROOT, "%.3f", s))
        .collect(Collectors.joining(" "));
    out.printf(Locale.ROOT,
        "%s  loss %.4f  KL %.4g  val acc %.4f (unmasked %.4f)  active [%s]  %.1fx (%.1fx after unit removal, "
            + "%,d FLOPs)  offset %.3g  d(pit) %.3g  d(mu) %.3g  A %.2fs B %.2fs w %.1fs%s%n",
        r.iteration() == 0 ? String.format(Locale.ROOT, "warm-up (%d epochs)", r.epochs())
            : String.format(Locale.ROOT, "iter %-4d", r.iteration()), r.meanLoss(), r.kl(), r.heldOutAccuracy(),
        r.denseAccuracy(), shares, r.compression(), r.prunedCompression(), r.flops(), r.offset(), r.pitChange(),
        r.meanChange(), r.secondsModuleA(), r.secondsModuleB(), r.secondsWStep(),
        r.guardTripped() ? "  GUARD: accuracy fell below the guard; the ramp stops at the last size that passed"
            : "");
  }
}
