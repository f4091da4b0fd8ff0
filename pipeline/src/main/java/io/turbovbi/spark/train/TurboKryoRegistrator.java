package io.turbovbi.spark.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.turbovbi.nn.Optimizer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DoubleType$;
import org.apache.spark.sql.types.FloatType$;
import org.apache.spark.sql.types.IntegerType$;
import org.apache.spark.sql.types.LongType$;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one place that registers with Kryo every class that crosses JVMs: shards, round results, broadcast payloads
 * and the arrays inside them. {@link #configure} makes Kryo the serializer and requires registration, so a class
 * that is missing here fails at once instead of being written with its full name on every round.
 */
public final class TurboKryoRegistrator implements KryoRegistrator {
  /**
   * Everything this project sends between driver and executors (the chunks of samples a driver-side data set is
   * made into a data frame from among them), and the vector type of the DataFrames it reads
   * ({@code data.format = parquet}).
   */
  public static final List<Class<?>> CLASSES = List.of(
      float[].class, float[][].class, double[].class, double[][].class, int[].class, long[].class,
      Shard.class, Shard[].class, RoundResult.class, SparkTrainer.AveragingTask.Start.class, Optimizer.State.class,
      VariationalUpdate.class, MaskedUpdate.class, PlainUpdate.class, boolean[].class, boolean[][].class,
      VectorUDT.class, SampleFrames.Chunk.class,
      // Schemas of the data frames the jobs read and write, which Spark SQL's file jobs send back to the driver.
      StructType.class, StructField.class, StructField[].class, ArrayType.class, Metadata.class,
      LongType$.class, IntegerType$.class, FloatType$.class, DoubleType$.class);

  @Override
  public void registerClasses(Kryo kryo) {
    for (Class<?> type : CLASSES) {
      if (type.isRecord()) {
        // Kryo 4's field serializer cannot set a record's final fields; Java serialization can.
        kryo.register(type, new JavaSerializer());
      } else {
        kryo.register(type);
      }
    }
  }

  /** Kryo with registration required and this registrator. */
  public static SparkConf configure(SparkConf conf) {
    return conf.set("spark.serializer", KryoSerializer.class.getName())
        .set("spark.kryo.registrator", TurboKryoRegistrator.class.getName())
        .set("spark.kryo.registrationRequired", "true");
  }
}
