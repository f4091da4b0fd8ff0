package io.turbovbi.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.jobs.config.Config;
import io.turbovbi.jobs.config.ParamKeys;
import io.turbovbi.mrf.MrfMode;
import io.turbovbi.spark.ml.CompressionSettings;
import io.turbovbi.turbo.TurboSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The support-prior settings a configuration gives, through the estimator's params as the jobs make them. */
class MrfSettingsTest {

  private static TurboSettings settings(Config config, int layers, Consumer<String> warnings) {
    return CompressionSettings.turbo(ParamKeys.compressor(config), layers, ParamKeys.NAMES, warnings);
  }

  /** A configuration of these keys, free running (the default target control needs a target). */
  private static Config config(Map<String, String> keys) {
    Map<String, String> all = new java.util.HashMap<>(keys);
    all.put("turbo.control", "free");
    return Config.load(null, all);
  }

  private static final Map<String, String> CRITICAL_GRID = Map.of("mrf.mode", "grid", "mrf.row.p01", "0.2",
      "mrf.row.p10", "0.5", "mrf.col.p01", "0.2", "mrf.col.p10", "0.5");

  @Test
  void theDefaultsAreBelowTheCriticalCouplingInGridAndGraphMode() {
    for (String mode : List.of("grid", "graph")) {
      List<String> warnings = new ArrayList<>();
      TurboSettings settings = settings(config(Map.of("mrf.mode", mode)), 3, warnings::add);
      assertEquals(MrfMode.of(mode), settings.mrfs().get(0).mode());
      assertTrue(warnings.isEmpty(), warnings.toString());
    }
  }

  @Test
  void criticalGridIsRefusedWithoutTheOverride() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> settings(config(CRITICAL_GRID), 2, warning -> { }));
    assertTrue(e.getMessage().contains("weight layer 1") && e.getMessage().contains("critical coupling")
        && e.getMessage().contains("mrf.coupling.override=true"), e.getMessage());
  }

  @Test
  void theOverrideRunsTheCriticalGridAndWarnsOncePerLayer() {
    Map<String, String> overridden = new java.util.HashMap<>(CRITICAL_GRID);
    overridden.put("mrf.coupling.override", "true");
    List<String> warnings = new ArrayList<>();
    TurboSettings settings = settings(config(overridden), 2, warnings::add);
    assertEquals(0.2, settings.mrfs().get(1).rowP01());
    assertEquals(2, warnings.size());
    assertTrue(warnings.get(1).startsWith("weight layer 2") && warnings.get(1).contains("running anyway"),
        warnings.get(1));
  }

  @Test
  void gridRowsAndColumnsWithDifferentLambdaAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(Config.load(null,
        Map.of("mrf.mode", "grid", "mrf.col.p01", "0.3")), 1, warning -> { }));
    assertTrue(e.getMessage().contains("same lambda"), e.getMessage());
  }

  @Test
  void gateSettingsReachTheLayersOneValueEach() {
    TurboSettings settings = settings(config(Map.of("mrf.mode", "graph", "mrf.gate.prior",
        "0.3,0.4", "mrf.gate.leak", "0.1")), 2, warning -> { });
    assertEquals(0.4, settings.mrfs().get(1).gateAlive());
    assertEquals(0.1, settings.mrfs().get(0).gateLeak());
  }
}
