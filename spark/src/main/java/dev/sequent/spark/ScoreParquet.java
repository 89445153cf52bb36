package dev.sequent.spark;

import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Scores a Parquet file with a Sequent model on Spark: reads INPUT, appends the model's output
 * for each row with {@link SequentModel}, writes OUTPUT. In local mode ({@code local[*]}) unless
 * run by {@code spark-submit}, which sets the master. {@code --demo-rows N} first writes INPUT
 * with N random samples of the model's input shape, so one command shows the whole path.
 *
 * <p>The one line it prints (rows, time, rows/s) is this tool's result; the library prints nothing.
 */
@Command(name = "score-parquet", mixinStandardHelpOptions = true,
    description = "Score a Parquet file with a Sequent model on Spark (local[*] unless spark-submit sets a master).")
public final class ScoreParquet implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "FILE",
      description = "A model file Network.load reads (.pt, .pth, .h5, .keras, ...), or weights with --class; "
          + "a local or shared path, or the name of a file shipped with spark-submit --files.")
  String model;

  @Option(names = "--class", paramLabel = "FQCN", description = "The compiled Sequent model whose weights --model holds.")
  String modelClass;

  @Option(names = "--input-shape", split = ",", paramLabel = "D,D,...",
      description = "The sample shape, where the file does not record it (a pickled PyTorch CNN): e.g. 1,28,28.")
  int[] inputShape;

  @Option(names = "--input-col", defaultValue = "features",
      description = "The input column: array<float> of the flattened sample, or binary float32 (default: ${DEFAULT-VALUE}).")
  String inputCol;

  @Option(names = "--output-col", defaultValue = "prediction",
      description = "The output column, array<float> (default: ${DEFAULT-VALUE}).")
  String outputCol;

  @Option(names = "--batch-size", defaultValue = "64", description = "Samples per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--handle-invalid", defaultValue = "error",
      description = "A row that is null or not one sample: error, keep (null output) or skip (default: ${DEFAULT-VALUE}).")
  String handleInvalid;

  @Option(names = "--demo-rows", paramLabel = "N",
      description = "First write INPUT with N random samples of the model's input shape (columns id, features).")
  Integer demoRows;

  @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input into N partitions first.")
  Integer partitions;

  @Parameters(index = "0", paramLabel = "INPUT", description = "The Parquet file (directory) to score.")
  String input;

  @Parameters(index = "1", paramLabel = "OUTPUT", description = "Where to write the scored rows (Parquet, overwritten).")
  String output;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScoreParquet()).execute(args));
  }

  @Override
  public Integer call() {
    SparkSession.Builder builder = SparkSession.builder().appName("sequent score-parquet");
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]").config("spark.ui.enabled", "false");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      SequentModel sequent = new SequentModel().setModelPath(model).setInputCol(inputCol).setOutputCol(outputCol)
          .setBatchSize(batchSize).setHandleInvalid(handleInvalid);
      if (modelClass != null) {
        sequent.setModelClass(modelClass);
      }
      if (inputShape != null) {
        sequent.setInputShape(inputShape);
      }
      if (demoRows != null) {
        writeDemo(spark, sequent, demoRows);
      }
      Dataset<Row> rows = spark.read().parquet(input);
      if (partitions != null) {
        rows = rows.repartition(partitions);
      }
      long start = System.nanoTime();
      sequent.transform(rows).write().mode(SaveMode.Overwrite).parquet(output);
      double seconds = (System.nanoTime() - start) / 1e9;
      long count = spark.read().parquet(output).count();
      System.out.printf("scored %d rows of %s into %s (column %s) in %.1f s, %.0f rows/s, master %s%n", count, input,
          output, outputCol, seconds, count / seconds, spark.sparkContext().master());
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** INPUT with {@code n} samples of uniform [0, 1) values, of the model's sample size. */
  private void writeDemo(SparkSession spark, SequentModel sequent, int n) {
    ModelCache.Source source = new ModelCache.Source(sequent.getModelPath(), sequent.getModelClass(),
        sequent.getInputShape());
    int size = Math.toIntExact(ModelCache.get(source).network().inputShape().size());
    spark.udf().register("sequent_demo_sample", (org.apache.spark.sql.api.java.UDF1<Long, float[]>) id -> {
      Random random = new Random(id);
      float[] values = new float[size];
      for (int i = 0; i < size; i++) {
        values[i] = random.nextFloat();
      }
      return values;
    }, DataTypes.createArrayType(DataTypes.FloatType, false));
    spark.range(n).select(functions.col("id"), functions.callUDF("sequent_demo_sample", functions.col("id")).as(inputCol))
        .write().mode(SaveMode.Overwrite).parquet(input);
  }
}
