package dev.sequent.spark;

import dev.sequent.examples.torch.resnet.ResNet18Net;
import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.io.WeightProgress;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The scale figures of docs/spark.md: rows/s of SequentModel in Spark local mode against a
 * single-JVM loop of {@link Network#forward} over the same rows, and the model's load time (what
 * each executor pays once). Not a test: run by hand (docs/spark.md gives the command).
 *
 * <p>Arguments: {@code lenet5|resnet18 ROWS [BATCH] [PARTITIONS]}. The rows are random samples
 * of the model's input shape, written to a Parquet file first (not timed), the same values for
 * both runs (sample {@code id} is drawn from {@code new Random(id)}).
 */
public final class SparkScaleBench {
  private SparkScaleBench() {}

  public static void main(String[] args) throws Exception {
    String which = args[0];
    int rows = Integer.parseInt(args[1]);
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int partitions = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    Path work = Files.createTempDirectory("sequent-spark-bench");
    String modelPath;
    String modelClass = null;
    int[] shape;
    if (which.equals("lenet5")) {
      modelPath = Fixtures.reference("lenet5", "torch_model.pt").toString();
      shape = new int[] {1, 28, 28};
    } else if (which.equals("resnet18")) {
      // random weights: the figures are about speed, and a 45 MB file is not committed
      Path file = work.resolve("resnet18.pt");
      Network.create(ResNet18Net.model(), 0).saveWeights(file);
      modelPath = file.toString();
      modelClass = "dev.sequent.examples.torch.resnet.ResNet18";
      shape = null;
    } else {
      throw new IllegalArgumentException("lenet5 or resnet18, not " + which);
    }

    // load cost: what one executor JVM pays once (the second load shows the warm-JVM figure)
    long t0 = System.nanoTime();
    Network network = load(modelPath, modelClass, shape);
    double coldLoad = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    load(modelPath, modelClass, shape);
    double warmLoad = (System.nanoTime() - t0) / 1e9;
    int size = Math.toIntExact(network.inputShape().size());

    // single-JVM loop over the same rows, in batches, no Spark
    float[] buffer = new float[batch * size];
    network.forward(Nd4j.create(buffer, network.inputShape().withBatch(batch), 'c')); // warm-up
    t0 = System.nanoTime();
    for (int start = 0; start < rows; start += batch) {
      int n = Math.min(batch, rows - start);
      for (int i = 0; i < n; i++) {
        fill(start + i, buffer, i * size, size);
      }
      float[] input = n == batch ? buffer : java.util.Arrays.copyOf(buffer, n * size);
      network.forward(Nd4j.create(input, network.inputShape().withBatch(n), 'c'));
    }
    double loop = (System.nanoTime() - t0) / 1e9;
    // the same loop through a BatchingPredictor (one worker thread), as SequentModel calls the model
    double predictorLoop;
    try (dev.sequent.serve.BatchingPredictor predictor = dev.sequent.serve.BatchingPredictor.builder(network)
        .maxBatch(batch).instances(1).build()) {
      t0 = System.nanoTime();
      for (int start = 0; start < rows; start += batch) {
        int n = Math.min(batch, rows - start);
        for (int i = 0; i < n; i++) {
          fill(start + i, buffer, i * size, size);
        }
        float[] input = n == batch ? buffer : java.util.Arrays.copyOf(buffer, n * size);
        predictor.predict(Nd4j.create(input, network.inputShape().withBatch(n), 'c'));
      }
      predictorLoop = (System.nanoTime() - t0) / 1e9;
    }

    SparkSession spark = SparkSession.builder().master("local[*]").appName("SparkScaleBench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", String.valueOf(partitions))
        .getOrCreate();
    String parquet = work.resolve("rows.parquet").toString();
    spark.udf().register("bench_sample", (org.apache.spark.sql.api.java.UDF1<Long, float[]>) id -> {
      float[] values = new float[size];
      fill(id, values, 0, size);
      return values;
    }, DataTypes.createArrayType(DataTypes.FloatType, false));
    spark.range(0, rows, 1, partitions)
        .select(functions.col("id"), functions.callUDF("bench_sample", functions.col("id")).as("features"))
        .write().mode(SaveMode.Overwrite).parquet(parquet);

    SequentModel model = new SequentModel().setModelPath(modelPath).setInputCol("features").setOutputCol("out")
        .setBatchSize(batch);
    if (modelClass != null) {
      model.setModelClass(modelClass);
    }
    if (shape != null) {
      model.setInputShape(shape);
    }
    Dataset<Row> input = spark.read().parquet(parquet);
    int loadsBefore = ModelCache.loads();
    double cold = timeTransform(model, input, work.resolve("cold").toString());
    double warm = timeTransform(model, input, work.resolve("warm").toString());
    int loads = ModelCache.loads() - loadsBefore;
    double scanOnly = time(() -> input.write().mode(SaveMode.Overwrite).parquet(work.resolve("copy").toString()));
    spark.stop();

    System.out.printf("model %s, %d rows, batch %d, %d partitions, %d cores, load average %s%n", which, rows, batch,
        partitions, Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.printf("load: %.2f s cold JVM, %.2f s again; Spark loaded it %d time(s) for 2 transforms%n", coldLoad,
        warmLoad, loads);
    System.out.printf("single-JVM loop: %.1f s, %.0f rows/s%n", loop, rows / loop);
    System.out.printf("single-JVM loop through BatchingPredictor: %.1f s, %.0f rows/s%n", predictorLoop,
        rows / predictorLoop);
    System.out.printf("Spark local[*], first transform (model load included): %.1f s, %.0f rows/s%n", cold, rows / cold);
    System.out.printf("Spark local[*], second transform (model cached): %.1f s, %.0f rows/s%n", warm, rows / warm);
    System.out.printf("Spark local[*], same Parquet read and write without the model: %.1f s%n", scanOnly);
  }

  private static Network load(String path, String modelClass, int[] shape) {
    if (modelClass != null) {
      return Network.create(ModelCache.compiledModel(modelClass), 0).loadWeights(Path.of(path));
    }
    return Network.load(Path.of(path), Optional.ofNullable(shape).map(Shape::of), TorchReadOptions.DEFAULT,
        WeightProgress.NONE);
  }

  /** Sample {@code id}: uniform [0, 1) values from {@code new Random(id)}. */
  private static void fill(long id, float[] into, int offset, int size) {
    Random random = new Random(id);
    for (int i = 0; i < size; i++) {
      into[offset + i] = random.nextFloat();
    }
  }

  private static double timeTransform(SequentModel model, Dataset<Row> input, String out) {
    return time(() -> model.transform(input).write().mode(SaveMode.Overwrite).parquet(out));
  }

  private static double time(Runnable run) {
    long t0 = System.nanoTime();
    run.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
