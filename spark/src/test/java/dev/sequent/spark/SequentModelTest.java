package dev.sequent.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SequentModel on a local Spark: models from real PyTorch and Keras files score DataFrames row
 * for row as {@link Network#forward} does (and as the framework did), through partitions,
 * batches, a Pipeline save/load, the SQL function, and bad rows.
 */
class SequentModelTest {
  private static final Path LENET_TORCH = Fixtures.reference("lenet5", "torch_model.pt");
  private static final Path LENET_STATE_DICT = Fixtures.reference("lenet5", "torch_state_dict.pt");
  private static final Path LENET_KERAS = Fixtures.reference("lenet5", "keras3.keras");
  private static final int[] TORCH_SHAPE = {1, 28, 28};

  private static SparkSession spark;

  @TempDir
  Path temp;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("SequentModelTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** One row per sample of {@code x}: an id and the flattened sample as array<float>. */
  private static Dataset<Row> floatRows(INDArray x, int partitions) {
    StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.size(0); i++) {
      rows.add(RowFactory.create(i, boxed(sample(x, i))));
    }
    return spark.createDataFrame(rows, schema).repartition(partitions);
  }

  private static float[] sample(INDArray x, int i) {
    return x.slice(i).dup('c').data().asFloat();
  }

  private static Float[] boxed(float[] values) {
    Float[] boxed = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static float[] unboxed(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** The output rows by id, each compared with {@code expected}'s row of that id. */
  private static void assertRowsEqual(List<Row> rows, INDArray expected, String output, String what) {
    assertThat(rows).hasSize((int) expected.size(0));
    for (Row row : rows) {
      int id = row.getInt(row.fieldIndex("id"));
      float[] actual = unboxed(row.getList(row.fieldIndex(output)));
      Fixtures.assertClose(expected.slice(id).reshape(1, -1), Nd4j.create(actual).reshape(1, -1),
          what + " row " + id);
    }
  }

  @Test
  void scoresDataFrameWithPyTorchModelAsNetworkForward() {
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    Network network = Network.load(LENET_TORCH, Shape.of(TORCH_SHAPE));
    SequentModel model = new SequentModel().setModelPath(LENET_TORCH.toString()).setInputShape(TORCH_SHAPE)
        .setInputCol("pixels").setOutputCol("scores").setBatchSize(3);

    List<Row> rows = model.transform(floatRows(x, 2)).collectAsList();

    assertRowsEqual(rows, network.forward(x), "scores", "Network.forward");
    // and what PyTorch itself computed for these samples
    assertRowsEqual(rows, Fixtures.npy("lenet5", "output_torch.npy"), "scores", "PyTorch");
  }

  @Test
  void scoresBinaryTensorColumnWithKerasModelAsNetworkForward() {
    INDArray x = Fixtures.npy("lenet5", "input_keras.npy"); // [n, 28, 28, 1]: the .keras file records it
    StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
        .add("tensor", DataTypes.BinaryType, true);
    List<Row> input = new ArrayList<>();
    for (int i = 0; i < x.size(0); i++) {
      float[] values = sample(x, i);
      ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(values);
      input.add(RowFactory.create(i, bytes.array()));
    }
    SequentModel model = new SequentModel().setModelPath(LENET_KERAS.toString()).setInputCol("tensor")
        .setOutputCol("probs").setBatchSize(5);

    List<Row> rows = model.transform(spark.createDataFrame(input, schema).repartition(3)).collectAsList();

    assertRowsEqual(rows, Network.load(LENET_KERAS).forward(x), "probs", "Network.forward");
    assertRowsEqual(rows, Fixtures.npy("lenet5", "output_keras3.npy"), "probs", "Keras");
  }

  @Test
  void scoresStateDictWithModelClass() {
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    SequentModel model = new SequentModel().setModelPath(LENET_STATE_DICT.toString())
        .setModelClass("dev.sequent.examples.torch.LeNet5").setInputCol("pixels").setOutputCol("scores");

    assertRowsEqual(model.transform(floatRows(x, 2)).collectAsList(), Fixtures.npy("lenet5", "output_torch.npy"),
        "scores", "PyTorch");
  }

  @Test
  void loadsTheModelOncePerJvmAcrossPartitionsAndTransforms() throws IOException {
    // a file of its own, so no other test has loaded it into this JVM's cache
    Path file = Files.copy(LENET_TORCH, temp.resolve("lenet-once.pt"));
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    Dataset<Row> df = floatRows(x, 4);
    int before = ModelCache.loads();

    SequentModel model = new SequentModel().setModelPath(file.toString()).setInputShape(TORCH_SHAPE)
        .setInputCol("pixels").setOutputCol("scores").setBatchSize(2);
    long first = model.transform(df).count();
    List<Row> second = model.copy(new org.apache.spark.ml.param.ParamMap()).transform(df).collectAsList();

    assertThat(first).isEqualTo(8);
    assertThat(df.rdd().getNumPartitions()).isEqualTo(4);
    assertThat(ModelCache.loads() - before).as("models loaded for 2 transforms of 4 partitions").isEqualTo(1);
    assertRowsEqual(second, Fixtures.npy("lenet5", "output_torch.npy"), "scores", "PyTorch");

    // the same path with new contents is a new model
    Files.copy(LENET_STATE_DICT, file, StandardCopyOption.REPLACE_EXISTING);
    new SequentModel().setModelPath(file.toString()).setModelClass("dev.sequent.examples.torch.LeNet5")
        .setInputCol("pixels").setOutputCol("scores").transform(df).count();
    assertThat(ModelCache.loads() - before).isEqualTo(2);
  }

  @Test
  void survivesPipelineSaveAndLoad() throws IOException {
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    Dataset<Row> df = floatRows(x, 2);
    SequentModel model = new SequentModel().setModelPath(LENET_TORCH.toString()).setInputShape(TORCH_SHAPE)
        .setInputCol("pixels").setOutputCol("scores").setBatchSize(4).setHandleInvalid("keep");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {model}).fit(df);
    String dir = temp.resolve("pipeline").toString();

    fitted.write().overwrite().save(dir);
    PipelineModel loaded = PipelineModel.load(dir);

    SequentModel stage = (SequentModel) loaded.stages()[0];
    assertThat(stage.uid()).isEqualTo(model.uid());
    assertThat(stage.getModelPath()).isEqualTo(LENET_TORCH.toString());
    assertThat(stage.getInputShape()).containsExactly(TORCH_SHAPE);
    assertThat(stage.getBatchSize()).isEqualTo(4);
    assertThat(stage.getHandleInvalid()).isEqualTo("keep");
    assertThat(stage.getModelClass()).isNull();
    assertRowsEqual(loaded.transform(df).collectAsList(), Fixtures.npy("lenet5", "output_torch.npy"), "scores",
        "PyTorch");

    // and on its own, as MLWritable / MLReadable
    String single = temp.resolve("single").toString();
    model.write().save(single);
    SequentModel read = SequentModel.load(single);
    assertThat(read.getOutputCol()).isEqualTo("scores");
    assertThat(read.extractParamMap().toSeq().size()).isEqualTo(model.extractParamMap().toSeq().size());
  }

  /** Eight good rows and, at positions 2 and 5, one too short and one null; one partition. */
  private Dataset<Row> withBadRows() {
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.size(0); i++) {
      Object pixels = i == 2 ? new Float[10] : i == 5 ? null : boxed(sample(x, i));
      if (i == 2) {
        java.util.Arrays.fill((Float[]) pixels, 0f);
      }
      rows.add(RowFactory.create(i, pixels));
    }
    return spark.createDataFrame(rows, schema).coalesce(1);
  }

  private SequentModel lenet() {
    return new SequentModel().setModelPath(LENET_TORCH.toString()).setInputShape(TORCH_SHAPE).setInputCol("pixels")
        .setOutputCol("scores").setBatchSize(3);
  }

  @Test
  void badRowFailsNamingItsPosition() {
    assertThatThrownBy(() -> lenet().transform(withBadRows()).collectAsList())
        .hasStackTraceContaining("row 2 of partition 0: input column 'pixels' has 10 values; the model takes 784 "
            + "(a sample of shape [1,28,28], flattened)")
        .hasStackTraceContaining("setHandleInvalid(\"keep\")");
    Dataset<Row> nullOnly = withBadRows().filter("id != 2");
    assertThatThrownBy(() -> lenet().transform(nullOnly).collectAsList())
        .hasStackTraceContaining("row 4 of partition 0: input column 'pixels' is null");
  }

  @Test
  void keepGivesNullOutputAndSkipDropsTheRow() {
    INDArray expected = Fixtures.npy("lenet5", "output_torch.npy");
    List<Row> kept = lenet().setHandleInvalid("keep").transform(withBadRows()).collectAsList();
    assertThat(kept).extracting(r -> r.getInt(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(kept.get(2).isNullAt(2)).isTrue();
    assertThat(kept.get(5).isNullAt(2)).isTrue();
    List<Row> good = new ArrayList<>(kept);
    good.remove(5);
    good.remove(2);
    for (Row row : good) {
      Fixtures.assertClose(expected.slice(row.getInt(0)).reshape(1, -1),
          Nd4j.create(unboxed(row.getList(2))).reshape(1, -1), "kept row " + row.getInt(0));
    }

    List<Row> skipped = lenet().setHandleInvalid("skip").transform(withBadRows()).collectAsList();
    assertThat(skipped).extracting(r -> r.getInt(0)).containsExactly(0, 1, 3, 4, 6, 7);
  }

  @Test
  void sqlFunctionScoresAsNetworkForward() {
    INDArray x = Fixtures.npy("lenet5", "input_torch.npy");
    floatRows(x, 2).createOrReplaceTempView("digits");
    lenet().registerUdf(spark);

    List<Row> rows = spark.sql("SELECT id, sequent_predict(pixels) AS scores FROM digits").collectAsList();

    assertRowsEqual(rows, Network.load(LENET_TORCH, Shape.of(TORCH_SHAPE)).forward(x), "scores", "Network.forward");
  }

  @Test
  void findsModelShippedWithAddFileWhenThePathIsNotOnTheNode() throws IOException {
    Path file = Files.copy(LENET_TORCH, temp.resolve("shipped-lenet.pt"));
    spark.sparkContext().addFile(file.toString());
    SequentModel model = new SequentModel().setModelPath("/no/such/dir/shipped-lenet.pt").setInputShape(TORCH_SHAPE)
        .setInputCol("pixels").setOutputCol("scores");

    assertRowsEqual(model.transform(floatRows(Fixtures.npy("lenet5", "input_torch.npy"), 2)).collectAsList(),
        Fixtures.npy("lenet5", "output_torch.npy"), "scores", "PyTorch");
    SequentModel missing = new SequentModel().setModelPath("/no/such/dir/absent.pt").setInputCol("pixels");
    assertThatThrownBy(() -> missing.transform(floatRows(Fixtures.npy("lenet5", "input_torch.npy"), 1)).count())
        .hasStackTraceContaining("model file /no/such/dir/absent.pt does not exist on this node, nor was absent.pt "
            + "shipped with --files");
  }

  @Test
  void schemaErrorsNameTheColumn() {
    Dataset<Row> df = floatRows(Fixtures.npy("lenet5", "input_torch.npy"), 1);
    assertThatThrownBy(() -> lenet().setInputCol("image").transformSchema(df.schema()))
        .hasMessageContaining("input column 'image' does not exist; the columns are [id, pixels]");
    assertThatThrownBy(() -> lenet().setInputCol("id").transformSchema(df.schema()))
        .hasMessageContaining("input column 'id' is int; SequentModel reads array<float>, array<double> or binary");
    assertThatThrownBy(() -> lenet().setOutputCol("id").transformSchema(df.schema()))
        .hasMessageContaining("output column 'id' already exists");
    assertThatThrownBy(() -> new SequentModel().setInputCol("pixels").transformSchema(df.schema()))
        .hasMessageContaining("needs modelPath (setModelPath)");
    assertThatThrownBy(() -> lenet().setHandleInvalid("ignore"))
        .hasMessageContaining("handleInvalid");
    assertThatThrownBy(() -> lenet().setInputShape(new int[] {3, 28, 28}).transform(df).count())
        .hasStackTraceContaining("does not check with the input shape [3,28,28]");
  }
}
