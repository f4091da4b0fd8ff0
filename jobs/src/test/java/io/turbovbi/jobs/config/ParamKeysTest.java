package io.turbovbi.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.turbovbi.spark.ml.TurboVbiCompressor;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;

/** The compress job's settings are the estimator's params: keys derived from them, Spark settings read too. */
class ParamKeysTest {
  /**
   * Params that are no compression key: Spark's columns, the input contract the job fills from the data format, and
   * the output location and flags (the key output, --overwrite and --resume).
   */
  private static final Set<String> NOT_JOB_SETTINGS = Set.of("featuresCol", "labelCol", "predictionCol",
      "probabilityCol", "rawPredictionCol", "thresholds", "inputScaling", "classLabels", "outputPath", "overwrite",
      "resume");

  @Test
  void aCompressionKeyIsItsParamsDefaultDocAndRule() {
    TurboVbiCompressor defaults = new TurboVbiCompressor();
    ConfigKey ramp = ConfigKeys.all().get("turbo.ramp");
    assertEquals("16", ramp.defaultValue());
    assertEquals(defaults.ramp().doc(), ramp.description());
    assertEquals("an integer in [1, 1000000]", ramp.requirement());
    assertEquals("0.0001", ConfigKeys.all().get("prior.bbar").defaultValue(), "1e-4 as a key takes it");
    assertEquals(null, ConfigKeys.all().get("network.initial").defaultValue(), "an empty default is no default");
    ConfigException bad = assertThrows(ConfigException.class,
        () -> Config.load(null, Map.of("mrf.mode", "rows,chains")));
    assertEquals("mrf.mode must be one of graph, grid, rows, iid, or one per weight layer separated by commas, got "
        + "'rows,chains'", bad.getMessage());
    assertThrows(ConfigException.class, () -> Config.load(null, Map.of("mrf.coupling.override", "yes")));
    assertEquals("lenet5", ParamKeys.compressor(Config.load(null, Map.of("network", ""))).getNetwork(),
        "network= clears the key (beside network.initial) and leaves the param at its default");
  }

  @Test
  void everyCompressionParamHasAKey() {
    Set<String> mapped = new HashSet<>(ParamKeys.PARAMS.values());
    for (Param<?> param : new TurboVbiCompressor().params()) {
      assertTrue(mapped.contains(param.name()) || NOT_JOB_SETTINGS.contains(param.name()), param.name()
          + " has no configuration key in ParamKeys");
    }
  }

  @Test
  void aConfigurationBecomesTheEstimatorsParams() {
    Config config = Config.load(null, Map.of("prior.bbar", "1e-5,2e-5", "turbo.ramp", "3", "cluster.batch", "64",
        "mrf.mode", "iid,rows"));
    TurboVbiCompressor compressor = ParamKeys.compressor(config);
    assertTrue(java.util.Arrays.equals(new double[] {1e-5, 2e-5}, compressor.$(compressor.priorBbar())));
    assertEquals(3, compressor.intValue(compressor.ramp()));
    assertEquals(64, compressor.intValue(compressor.batchSize()), "cluster.batch is the distributed batch");
    assertEquals("iid,rows", compressor.$(compressor.mrfMode()));
  }

  @Test
  void settingsGivenAsSparkSettingsCountBelowKeysSetDirectly() {
    System.setProperty("spark.turbovbi.turbo.ramp", "7");
    try {
      assertEquals(7, Config.load(null, Map.of()).integer(ConfigKeys.TURBO_RAMP));
      assertEquals(5, Config.load(null, Map.of("turbo.ramp", "5")).integer(ConfigKeys.TURBO_RAMP));
      assertEquals(9, Config.load(null, Map.of("spark.turbovbi.turbo.hold", "9")).integer(ConfigKeys.TURBO_HOLD));
      assertEquals("true", Config.load(null, Map.of("spark.turbovbi.test.failFirstAttempt", "true")).sparkSettings()
          .get("spark.turbovbi.test.failFirstAttempt"), "test-only Spark settings go to Spark as they are");
      System.setProperty("spark.turbovbi.turbo.ramp", "0");
      ConfigException bad = assertThrows(ConfigException.class, () -> Config.load(null, Map.of()));
      assertTrue(bad.getMessage().startsWith("spark.turbovbi.turbo.ramp must be an integer in [1,"), bad.getMessage());
      System.setProperty("spark.turbovbi.turbo.rmap", "3");
      System.clearProperty("spark.turbovbi.turbo.ramp");
      ConfigException unknown = assertThrows(ConfigException.class, () -> Config.load(null, Map.of()));
      assertTrue(unknown.getMessage().contains("'turbo.rmap' in the Spark setting spark.turbovbi.turbo.rmap (did "
          + "you mean 'turbo.ramp'?)"), unknown.getMessage());
    } finally {
      System.clearProperty("spark.turbovbi.turbo.ramp");
      System.clearProperty("spark.turbovbi.turbo.rmap");
    }
  }
}
