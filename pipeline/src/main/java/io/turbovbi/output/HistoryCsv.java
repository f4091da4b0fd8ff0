package io.turbovbi.output;

import io.turbovbi.turbo.IterationRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/** The per-iteration history as CSV: one row per outer iteration (0 = warm-up), one column per quantity. */
public final class HistoryCsv {
  private HistoryCsv() {}

  public static RunOutput.Content of(List<IterationRecord> history) {
    return out -> out.write(text(history).getBytes(StandardCharsets.UTF_8));
  }

  public static String text(List<IterationRecord> history) {
    int layers = history.isEmpty() ? 0 : history.get(0).activeShare().length;
    StringJoiner header = new StringJoiner(",");
    header.add("iteration").add("epochs").add("loss").add("kl").add("validation_accuracy")
        .add("validation_accuracy_unmasked").add("compression").add("compression_after_removal").add("flops")
        .add("offset").add("guard_tripped");
    for (int k = 0; k < layers; k++) {
      header.add("active_share_" + (k + 1));
    }
    for (int k = 0; k < layers; k++) {
      header.add("bp_sweeps_" + (k + 1));
    }
    header.add("pit_change").add("mu_change").add("seconds_module_a").add("seconds_module_b")
        .add("seconds_w_step").add("rounds").add("bytes_moved");
    StringBuilder csv = new StringBuilder(header.toString()).append('\n');
    for (IterationRecord r : history) {
      StringJoiner row = new StringJoiner(",");
      row.add(Integer.toString(r.iteration())).add(Integer.toString(r.epochs())).add(number(r.meanLoss()))
          .add(number(r.kl())).add(number(r.heldOutAccuracy())).add(number(r.denseAccuracy()))
          .add(number(r.compression())).add(number(r.prunedCompression())).add(Long.toString(r.flops()))
          .add(number(r.offset())).add(Boolean.toString(r.guardTripped()));
      for (double share : r.activeShare()) {
        row.add(number(share));
      }
      for (int sweeps : r.bpSweeps()) {
        row.add(Integer.toString(sweeps));
      }
      row.add(number(r.pitChange())).add(number(r.meanChange())).add(number(r.secondsModuleA()))
          .add(number(r.secondsModuleB())).add(number(r.secondsWStep())).add(Integer.toString(r.rounds()))
          .add(Long.toString(r.bytesMoved()));
      csv.append(row).append('\n');
    }
    return csv.toString();
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
  }
}
