package io.turbovbi.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.turbovbi.nn.Optimizer;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** Everything that crosses JVMs is registered with Kryo, and a class that is not says so by name. */
class TurboKryoRegistratorTest {
  private static final SerializerInstance KRYO = new KryoSerializer(TurboKryoRegistrator.configure(new SparkConf()))
      .newInstance();

  /** Serializes and reads back; an unregistered class fails the test with its name. */
  static Object roundTrip(Object value) {
    ByteBuffer bytes;
    try {
      bytes = KRYO.serialize(value, ClassTag$.MODULE$.apply(Object.class));
    } catch (RuntimeException e) {
      fail(value.getClass().getName() + " crosses JVMs but is not registered in TurboKryoRegistrator ("
          + e.getMessage() + ")");
      return null;
    }
    return KRYO.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
  }

  @Test
  void everyObjectARoundSendsSurvivesKryoWithRegistrationRequired() {
    Shard shard = new Shard(new float[] {1, 2, 3, 4}, new int[] {0, 1}, new long[] {7, 9});
    Shard copy = (Shard) roundTrip(shard);
    assertArrayEquals(shard.features(), copy.features());
    assertArrayEquals(shard.ids(), copy.ids());
    assertEquals(2, ((Shard[]) roundTrip(new Shard[] {shard, shard})).length);
    RoundResult result = (RoundResult) roundTrip(new RoundResult(new float[] {0.5f}, 1.5, 3, 4));
    assertEquals(1.5, result.lossSum);
    assertEquals(4, result.count);
    SparkTrainer.AveragingTask.Start start = (SparkTrainer.AveragingTask.Start) roundTrip(
        new SparkTrainer.AveragingTask.Start(new float[] {1}, new Optimizer.State(3, new float[][] {{2}, {3}})));
    assertEquals(3, start.optimizerState().steps());
    assertArrayEquals(new double[][] {{1, 2}}, (double[][]) roundTrip(new double[][] {{1, 2}}));
    VariationalUpdate variational = (VariationalUpdate) roundTrip(new VariationalUpdate(new double[][] {{3}}, -8));
    assertEquals(-8, variational.logVarCap());
    MaskedUpdate masked = (MaskedUpdate) roundTrip(new MaskedUpdate(new boolean[][] {{true, false}}));
    assertEquals(false, masked.masks()[0][1]);
  }

  @Test
  void anUnregisteredClassFailsWithItsName() {
    AssertionError error = assertThrows(AssertionError.class, () -> roundTrip(new java.util.ArrayList<>(List.of(1))));
    assertTrue(error.getMessage().startsWith("java.util.ArrayList crosses JVMs but is not registered"),
        error.getMessage());
  }
}
