package dev.sequent.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that scores a DataFrame with a Sequent network: each row's
 * sample (the input column) goes through the model and its flattened output is appended (the
 * output column, {@code array<float>}).
 *
 * <pre>{@code
 * SequentModel model = new SequentModel()
 *     .setModelPath("lenet5.pt")            // any file Network.load reads
 *     .setInputShape(new int[] {1, 28, 28})  // the sample shape, where the file does not record it
 *     .setInputCol("pixels")                 // array<float> of 784 values, or binary float32
 *     .setOutputCol("scores")
 *     .setBatchSize(64);
 * Dataset<Row> scored = model.transform(images);
 * }</pre>
 *
 * <p>The model is loaded once per executor JVM, on the first task that needs it, and shared by
 * every later task, partition and transform there (see {@link ModelCache}); each partition is
 * scored in batches of {@code batchSize} through a {@link dev.sequent.serve.BatchingPredictor}.
 *
 * <p>Params:
 *
 * <ul>
 *   <li>{@code modelPath}: a Keras {@code .h5}/{@code .keras}, a whole pickled or TorchScript
 *       PyTorch model, an exported program, or (with {@code modelClass}) a state_dict or any
 *       weight file. A path each executor can read (local or shared storage), or a file shipped
 *       with {@code spark-submit --files}: when the path does not exist on the executor, the file
 *       of that name is taken from {@code SparkFiles}.
 *   <li>{@code modelClass}: the compiled Sequent model (the {@code @Module} interface or its
 *       generated {@code ...Net}) whose weights {@code modelPath} holds; unset: the file's own
 *       architecture.
 *   <li>{@code inputCol}: {@code array<float>} (or {@code array<double>}) of the sample flattened
 *       in row-major order, or {@code binary} holding it as little-endian float32.
 *   <li>{@code inputShape}: the sample shape without the batch axis; needed only where the file
 *       does not record it (a pickled PyTorch CNN), and checked against the model when given.
 *   <li>{@code outputCol}: the new {@code array<float>} column; default {@code uid + "__output"}.
 *   <li>{@code batchSize}: samples per forward pass (default 64).
 *   <li>{@code handleInvalid}: what a row whose input is null or not one sample does:
 *       {@code "error"} (default) fails the job with an {@link InvalidRowException} naming the
 *       row's partition and position and what is wrong; {@code "keep"} keeps the row with a null
 *       output; {@code "skip"} drops the row.
 * </ul>
 *
 * <p>Saving ({@link #write()}, or a {@code Pipeline} holding it) stores the params, not the model
 * file: a saved pipeline refers to {@code modelPath}, which must be readable where it is loaded.
 */
public final class SequentModel extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  /** {@code handleInvalid}: fail on an invalid row. */
  public static final String ERROR_INVALID = "error";
  /** {@code handleInvalid}: drop an invalid row. */
  public static final String SKIP_INVALID = "skip";
  /** {@code handleInvalid}: keep an invalid row with a null output. */
  public static final String KEEP_INVALID = "keep";

  /** The name {@link #registerUdf(SparkSession)} registers. */
  public static final String UDF_NAME = "sequent_predict";

  private final String uid;
  private final Param<String> modelPath;
  private final Param<String> modelClass;
  private final Param<String> inputCol;
  private final IntArrayParam inputShape;
  private final Param<String> outputCol;
  private final IntParam batchSize;
  private final Param<String> handleInvalid;

  public SequentModel() {
    this(Identifiable$.MODULE$.randomUID("sequent"));
  }

  /** With a given uid; the constructor {@code DefaultParamsReader} calls when loading. */
  public SequentModel(String uid) {
    this.uid = uid;
    modelPath = new Param<>(this, "modelPath", "the model file (Keras .h5/.keras, PyTorch .pt/.pth, ...)");
    modelClass = new Param<>(this, "modelClass",
        "the compiled Sequent model whose weights modelPath holds (for a state_dict); unset: the file's own architecture");
    inputCol = new Param<>(this, "inputCol", "input column: array<float> of the flattened sample, or binary float32");
    inputShape = new IntArrayParam(this, "inputShape",
        "the sample shape without the batch axis, where the model file does not record it");
    outputCol = new Param<>(this, "outputCol", "output column: array<float> of the flattened output");
    batchSize = new IntParam(this, "batchSize", "samples per forward pass (>= 1)", ParamValidators.gtEq(1));
    handleInvalid = new Param<>(this, "handleInvalid",
        "how to handle a row whose input is null or not one sample: 'error' (fail naming the row), "
            + "'keep' (null output), 'skip' (drop the row)",
        ParamValidators.inArray(List.of(ERROR_INVALID, KEEP_INVALID, SKIP_INVALID)));
    setDefault(outputCol, uid + "__output");
    setDefault(batchSize, (Object) 64);
    setDefault(handleInvalid, ERROR_INVALID);
  }

  @Override
  public String uid() {
    return uid;
  }

  // ---------------------------------------------------------------- params (Spark ML's fluent style)

  public Param<String> modelPath() {
    return modelPath;
  }

  public Param<String> modelClass() {
    return modelClass;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public IntArrayParam inputShape() {
    return inputShape;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public Param<String> handleInvalid() {
    return handleInvalid;
  }

  public SequentModel setModelPath(String value) {
    set(modelPath, value);
    return this;
  }

  public SequentModel setModelClass(String value) {
    set(modelClass, value);
    return this;
  }

  public SequentModel setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public SequentModel setInputShape(int[] value) {
    set(inputShape, value.clone());
    return this;
  }

  public SequentModel setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  public SequentModel setBatchSize(int value) {
    set(batchSize, (Object) value);
    return this;
  }

  public SequentModel setHandleInvalid(String value) {
    set(handleInvalid, value);
    return this;
  }

  public String getModelPath() {
    return getOrDefault(modelPath);
  }

  /** The model class, or null when unset (the file's own architecture). */
  public String getModelClass() {
    return isDefined(modelClass) ? getOrDefault(modelClass) : null;
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  /** The sample shape, or null when unset (the file's own). */
  public int[] getInputShape() {
    return isDefined(inputShape) ? getOrDefault(inputShape).clone() : null;
  }

  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public String getHandleInvalid() {
    return getOrDefault(handleInvalid);
  }

  // ---------------------------------------------------------------- Transformer

  @Override
  public StructType transformSchema(StructType schema) {
    require(modelPath, "modelPath");
    require(inputCol, "inputCol");
    encodingOf(schema);
    if (Arrays.asList(schema.fieldNames()).contains(getOutputCol())) {
      throw new IllegalArgumentException("output column '" + getOutputCol() + "' already exists");
    }
    // nullable: handleInvalid "keep" writes null for a row it cannot score
    return schema.add(new StructField(getOutputCol(), DataTypes.createArrayType(DataTypes.FloatType, false), true,
        org.apache.spark.sql.types.Metadata.empty()));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType output = transformSchema(dataset.schema());
    PartitionScorer scorer = scorer(dataset.schema());
    return dataset.toDF().mapPartitions((MapPartitionsFunction<Row, Row>) scorer::score, Encoders.row(output));
  }

  @Override
  public SequentModel copy(ParamMap extra) {
    return (SequentModel) defaultCopy(extra);
  }

  /** Reads a transformer written by {@link #write()} (Spark ML's {@code MLReadable}). */
  public static MLReader<SequentModel> read() {
    return new DefaultParamsReader<>();
  }

  /** As {@code read().load(path)}. */
  public static SequentModel load(String path) {
    return read().load(path);
  }

  // ---------------------------------------------------------------- SQL

  /** Registers {@code sequent_predict(col)}: this model as a SQL function. */
  public void registerUdf(SparkSession spark) {
    registerUdf(spark, UDF_NAME);
  }

  /**
   * Registers this model as the SQL function {@code name(col)}: {@code col} as {@code inputCol}
   * would be (array of floats or binary float32), the result the flattened output. A function is
   * called once per row, so each row is a forward pass of one sample; {@link #transform} batches
   * and is the faster way to score a whole table. {@code handleInvalid} "error" fails on an
   * invalid value; "keep" and "skip" both return null (a function cannot drop a row).
   */
  public void registerUdf(SparkSession spark, String name) {
    require(modelPath, "modelPath");
    PartitionScorer floats = scorer(PartitionScorer.Encoding.FLOAT_ARRAY, "<sql argument>", -1);
    PartitionScorer bytes = scorer(PartitionScorer.Encoding.FLOAT32_BYTES, "<sql argument>", -1);
    UDF1<Object, float[]> predict = value -> value instanceof byte[] ? bytes.scoreOne(value) : floats.scoreOne(value);
    spark.udf().register(name, predict, DataTypes.createArrayType(DataTypes.FloatType, false));
  }

  // ---------------------------------------------------------------- internals

  private PartitionScorer scorer(StructType schema) {
    return scorer(encodingOf(schema), getInputCol(), schema.fieldIndex(getInputCol()));
  }

  private PartitionScorer scorer(PartitionScorer.Encoding encoding, String column, int index) {
    return new PartitionScorer(new ModelCache.Source(getModelPath(), getModelClass(), getInputShape()), column, index,
        encoding, getBatchSize(), getHandleInvalid());
  }

  private PartitionScorer.Encoding encodingOf(StructType schema) {
    String column = getInputCol();
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException("input column '" + column + "' does not exist; the columns are "
          + Arrays.toString(schema.fieldNames()));
    }
    DataType type = schema.apply(column).dataType();
    if (type instanceof ArrayType array
        && (array.elementType().equals(DataTypes.FloatType) || array.elementType().equals(DataTypes.DoubleType))) {
      return PartitionScorer.Encoding.FLOAT_ARRAY;
    }
    if (type.equals(DataTypes.BinaryType)) {
      return PartitionScorer.Encoding.FLOAT32_BYTES;
    }
    throw new IllegalArgumentException("input column '" + column + "' is " + type.simpleString()
        + "; SequentModel reads array<float>, array<double> or binary (little-endian float32)");
  }

  private void require(Param<?> param, String name) {
    if (!isDefined(param)) {
      throw new IllegalArgumentException("SequentModel " + uid + " needs " + name + " (set" + Character.toUpperCase(
          name.charAt(0)) + name.substring(1) + ")");
    }
  }
}
