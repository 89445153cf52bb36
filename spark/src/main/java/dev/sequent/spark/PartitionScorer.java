package dev.sequent.spark;

import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.serve.BatchingPredictor;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores the rows of one partition: reads each row's sample from the input column, runs them
 * through the JVM's shared model in batches of {@code batchSize}, and appends the flattened
 * output. This is what {@link SequentModel#transform} ships to the executors, so it holds only
 * the settings (the model itself comes from {@link ModelCache} on the executor).
 *
 * <p>Rows come out in the order they came in; a row is held only until its batch is full, so a
 * partition is streamed, never collected.
 */
final class PartitionScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the input column holds a sample. */
  enum Encoding {
    /** array&lt;float&gt; (or array&lt;double&gt;): the sample's values, flattened in row-major order. */
    FLOAT_ARRAY,
    /** binary: the flattened sample as little-endian float32, 4 bytes a value (Triton's binary tensor). */
    FLOAT32_BYTES
  }

  private final ModelCache.Source source;
  private final String inputCol;
  private final int inputIndex;
  private final Encoding encoding;
  private final int batchSize;
  private final String handleInvalid;

  PartitionScorer(ModelCache.Source source, String inputCol, int inputIndex, Encoding encoding, int batchSize,
      String handleInvalid) {
    this.source = source;
    this.inputCol = inputCol;
    this.inputIndex = inputIndex;
    this.encoding = encoding;
    this.batchSize = batchSize;
    this.handleInvalid = handleInvalid;
  }

  /** The scored rows of a partition: each input row with its output appended. */
  Iterator<Row> score(Iterator<Row> rows) {
    ModelCache.Entry model = ModelCache.get(source);
    return new Scored(rows, model.network(), model.predictor(batchSize),
        TaskContext.get() == null ? 0 : TaskContext.getPartitionId());
  }

  /** One sample's output for the SQL function; null for an invalid input unless handleInvalid is "error". */
  float[] scoreOne(Object value) {
    ModelCache.Entry model = ModelCache.get(source);
    Network network = model.network();
    int partition = TaskContext.get() == null ? 0 : TaskContext.getPartitionId();
    float[] sample = new float[Math.toIntExact(network.inputShape().size())];
    String problem = read(value, sample, network.inputShape());
    if (problem != null) {
      if (handleInvalid.equals(SequentModel.ERROR_INVALID)) {
        // a SQL function sees one value and not its position; the partition is what it knows
        throw new IllegalArgumentException("a row of partition " + partition + ": " + problem);
      }
      return null;
    }
    INDArray output = model.predictor(batchSize).predict(Nd4j.create(sample, network.inputShape().withBatch(1), 'c'));
    return output.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  /**
   * Reads {@code value} into {@code sample}; null when it is one valid sample, else what is wrong
   * with it (for the message).
   */
  private String read(Object value, float[] sample, Shape shape) {
    if (value == null) {
      return "input column '" + inputCol + "' is null";
    }
    switch (encoding) {
      case FLOAT_ARRAY -> {
        scala.collection.Seq<?> values = (scala.collection.Seq<?>) value;
        if (values.length() != sample.length) {
          return "input column '" + inputCol + "' has " + values.length() + " values; the model takes "
              + sample.length + " (a sample of shape " + shape + ", flattened)";
        }
        scala.collection.Iterator<?> it = values.iterator();
        for (int i = 0; i < sample.length; i++) {
          Object v = it.next();
          if (v == null) {
            return "input column '" + inputCol + "' has a null at index " + i;
          }
          sample[i] = ((Number) v).floatValue();
        }
        return null;
      }
      case FLOAT32_BYTES -> {
        byte[] bytes = (byte[]) value;
        if (bytes.length != 4L * sample.length) {
          return "input column '" + inputCol + "' has " + bytes.length + " bytes; the model takes "
              + (4L * sample.length) + " (a sample of shape " + shape + " as little-endian float32)";
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(sample);
        return null;
      }
      default -> throw new IllegalStateException("encoding " + encoding);
    }
  }

  /** The output rows of one partition, scored a batch at a time as they are asked for. */
  private final class Scored implements Iterator<Row> {
    private final Iterator<Row> in;
    private final BatchingPredictor predictor;
    private final Shape shape;
    private final int sampleSize;
    private final int partition;
    private long offset;
    private final List<Row> pending = new ArrayList<>();
    private Iterator<Row> ready = java.util.Collections.emptyIterator();

    Scored(Iterator<Row> in, Network network, BatchingPredictor predictor, int partition) {
      this.in = in;
      this.predictor = predictor;
      this.shape = network.inputShape();
      this.sampleSize = Math.toIntExact(shape.size());
      this.partition = partition;
    }

    @Override
    public boolean hasNext() {
      while (!ready.hasNext() && in.hasNext()) {
        ready = nextBatch().iterator();
      }
      return ready.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.next();
    }

    /** Up to batchSize valid input rows (and the invalid ones among them), scored. */
    private List<Row> nextBatch() {
      pending.clear();
      List<float[]> outputsOf = new ArrayList<>(batchSize);
      float[] batch = new float[batchSize * sampleSize];
      float[] sample = new float[sampleSize];
      int valid = 0;
      // which pending rows were valid; an invalid kept row gets a null output
      List<Boolean> isValid = new ArrayList<>(batchSize);
      while (valid < batchSize && in.hasNext()) {
        Row row = in.next();
        long position = offset++;
        String problem = read(row.get(inputIndex), sample, shape);
        if (problem != null) {
          switch (handleInvalid) {
            case SequentModel.SKIP_INVALID -> {
              continue;
            }
            case SequentModel.KEEP_INVALID -> {
              pending.add(row);
              isValid.add(false);
              continue;
            }
            default -> throw new InvalidRowException(partition, position, problem);
          }
        }
        System.arraycopy(sample, 0, batch, valid * sampleSize, sampleSize);
        valid++;
        pending.add(row);
        isValid.add(true);
      }
      if (valid > 0) {
        INDArray input = Nd4j.create(valid == batchSize ? batch : java.util.Arrays.copyOf(batch, valid * sampleSize),
            shape.withBatch(valid), 'c');
        INDArray output = predictor.predict(input);
        float[] flat = output.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int outputSize = flat.length / valid;
        for (int i = 0; i < valid; i++) {
          outputsOf.add(java.util.Arrays.copyOfRange(flat, i * outputSize, (i + 1) * outputSize));
        }
      }
      List<Row> scored = new ArrayList<>(pending.size());
      Iterator<float[]> outputs = outputsOf.iterator();
      for (int i = 0; i < pending.size(); i++) {
        scored.add(withOutput(pending.get(i), isValid.get(i) ? outputs.next() : null));
      }
      return scored;
    }
  }

  private static Row withOutput(Row row, float[] output) {
    Object[] values = new Object[row.length() + 1];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    values[row.length()] = output;
    return RowFactory.create(values);
  }
}
