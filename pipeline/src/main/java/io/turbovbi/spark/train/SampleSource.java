package io.turbovbi.spark.train;

import io.turbovbi.data.DataFrameSamples;
import io.turbovbi.data.InvalidDataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The labelled rows of a data frame, each with a stable id, spread over the partitions the training will use: the
 * rows stay where Spark reads them, and the data sets cut from them by {@link #select} are packed into shards on the
 * executors.
 *
 * <p>The id is the frame's {@code id} column (any integral type) when it has one; otherwise the row's position in
 * the frame ({@code zipWithIndex}, one extra pass), which is stable only while the input and its splitting into
 * partitions are: give data an id column (the import and synthetic commands write one) for results that do not
 * depend on how Spark splits the files. Ids must be unique.
 */
public final class SampleSource {
  /** Name of the id column. */
  public static final String ID_COL = "id";
  private static final int FEATURES = 0;
  private static final int LABEL = 1;
  private static final int ID = 2;

  private final JavaRDD<Row> rows;
  private final DataFrameSamples reader;
  private final String name;
  private final long count;

  private SampleSource(JavaRDD<Row> rows, DataFrameSamples reader, String name, long count) {
    this.rows = rows;
    this.reader = reader;
    this.name = name;
    this.count = count;
  }

  /**
   * The frame's samples in {@code partitions} partitions: its own, when there are as many; when there are more,
   * several read by each task (no data moves); when there are fewer, spread by a hash of the id (a shuffle between
   * executors).
   *
   * @param name the data's name in error messages (e.g. its path)
   * @throws InvalidDataException if a column is missing or of the wrong type, or the frame has no rows
   */
  public static SampleSource of(Dataset<Row> frame, DataFrameSamples reader, String name, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("need at least one partition, got " + partitions);
    }
    reader.checkSchema(frame.schema(), name);
    long count = frame.count();
    if (count == 0) {
      throw new InvalidDataException(name + ": the data set is empty (0 rows)");
    }
    Dataset<Row> numbered = withIds(frame, reader, name);
    int read = numbered.rdd().getNumPartitions();
    if (read > partitions) {
      numbered = numbered.coalesce(partitions);
    } else if (read < partitions) {
      numbered = numbered.repartition(partitions, functions.col(ID_COL));
    }
    return new SampleSource(numbered.javaRDD(), reader, name, count);
  }

  /** The features, label and id columns, in that order; ids by position when the frame has no id column. */
  private static Dataset<Row> withIds(Dataset<Row> frame, DataFrameSamples reader, String name) {
    List<String> columns = Arrays.asList(frame.schema().fieldNames());
    if (columns.contains(ID_COL)) {
      if (!(frame.schema().apply(ID_COL).dataType() instanceof IntegralType)) {
        throw new InvalidDataException(name + ": column '" + ID_COL + "' has type "
            + frame.schema().apply(ID_COL).dataType().simpleString() + ", expected an integral type");
      }
      return frame.select(functions.col(reader.featuresCol()), functions.col(reader.labelCol()),
          functions.col(ID_COL).cast(DataTypes.LongType).as(ID_COL));
    }
    Dataset<Row> selected = frame.select(reader.featuresCol(), reader.labelCol());
    StructType schema = new StructType(new StructField[] {selected.schema().fields()[FEATURES],
        selected.schema().fields()[LABEL], DataTypes.createStructField(ID_COL, DataTypes.LongType, false)});
    JavaRDD<Row> numbered = selected.javaRDD().zipWithIndex()
        .map(pair -> RowFactory.create(pair._1().get(FEATURES), pair._1().get(LABEL), pair._2()));
    return frame.sparkSession().createDataFrame(numbered, schema);
  }

  /** Rows in the frame. */
  public long count() {
    return count;
  }

  /**
   * The samples a selection holds, packed into one shard per partition on the executors, checked and persisted.
   *
   * @throws InvalidDataException naming the sample whose row fails a check, or if the selection is empty
   */
  public ShardedData select(Selection selection) {
    JavaRDD<Shard> shards = rows.mapPartitions(new Packer(reader, name, selection), true);
    return ShardedData.persist(shards, reader.shape(), reader.numClasses(), name);
  }

  /** Which samples of a source a data set holds, by a seeded hash of their ids ({@link SampleHash}). */
  public record Selection(long seed, double validationFraction, boolean validation, double keptFraction)
      implements Serializable {
    /** Every sample. */
    public static Selection all() {
      return new Selection(0, 0, false, 1);
    }

    /** The training samples: those not held out, of which a share {@code keptFraction} (1: all). */
    public static Selection training(long seed, double validationFraction, double keptFraction) {
      return new Selection(seed, validationFraction, false, keptFraction);
    }

    /** The samples held out for validation: a share {@code validationFraction} on average. */
    public static Selection validation(long seed, double validationFraction) {
      return new Selection(seed, validationFraction, true, 1);
    }

    boolean holds(long id) {
      boolean heldOut = SampleHash.inValidation(seed, id, validationFraction);
      return validation ? heldOut : !heldOut && SampleHash.kept(seed, id, keptFraction);
    }
  }

  /** Packs a partition's selected rows into one shard, checking each row. */
  static final class Packer implements FlatMapFunction<Iterator<Row>, Shard> {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK_ROWS = 1024;
    private final DataFrameSamples reader;
    private final String name;
    private final Selection selection;

    Packer(DataFrameSamples reader, String name, Selection selection) {
      this.reader = reader;
      this.name = name;
      this.selection = selection;
    }

    @Override
    public Iterator<Shard> call(Iterator<Row> rows) {
      int dim = reader.shape().size();
      // Filled chunk by chunk and joined once at the end: the peak is twice the shard, not three times as when an
      // array doubles and is then trimmed.
      List<float[]> chunks = new ArrayList<>();
      float[] chunk = new float[CHUNK_ROWS * dim];
      int[] labels = new int[CHUNK_ROWS];
      long[] ids = new long[CHUNK_ROWS];
      int n = 0;
      while (rows.hasNext()) {
        Row row = rows.next();
        if (row.isNullAt(ID)) {
          throw new InvalidDataException(name + ": a row has no id (column '" + ID_COL + "' is null)");
        }
        long id = row.getLong(ID);
        if (!selection.holds(id)) {
          continue;
        }
        int inChunk = n % CHUNK_ROWS;
        if (n > 0 && inChunk == 0) {
          chunks.add(chunk);
          chunk = new float[CHUNK_ROWS * dim];
        }
        if (n == labels.length) {
          labels = Arrays.copyOf(labels, n * 2);
          ids = Arrays.copyOf(ids, n * 2);
        }
        String where = "sample " + id;
        labels[n] = reader.label(row, LABEL, name, where);
        reader.copyFeatures(row, FEATURES, name, where, chunk, inChunk * dim);
        ids[n] = id;
        n++;
      }
      if ((long) n * dim > Integer.MAX_VALUE - 8) {
        throw new InvalidDataException(name + ": a partition holds " + n + " samples of " + dim + " features, more "
            + "than one array takes; use more partitions (cluster.partitions)");
      }
      float[] features = new float[n * dim];
      chunks.add(chunk);
      for (int c = 0; c < chunks.size(); c++) {
        int from = c * CHUNK_ROWS * dim;
        System.arraycopy(chunks.get(c), 0, features, from, Math.min(CHUNK_ROWS * dim, n * dim - from));
        chunks.set(c, null);
      }
      return List.of(new Shard(features, Arrays.copyOf(labels, n), Arrays.copyOf(ids, n))).iterator();
    }
  }
}
