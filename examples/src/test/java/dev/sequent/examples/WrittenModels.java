package dev.sequent.examples;

import dev.sequent.examples.keras.KerasBatchNormNet;
import dev.sequent.examples.keras.KerasCnnNet;
import dev.sequent.examples.keras.KerasLayerNormNet;
import dev.sequent.examples.keras.KerasLeNet5Net;
import dev.sequent.examples.keras.MlpNet;
import dev.sequent.examples.torch.CustomLayersNet;
import dev.sequent.examples.torch.LeNet5Net;
import dev.sequent.examples.torch.TinyResidualNet;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.examples.torch.TorchLayerNormNet;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Java models whose Keras files Sequent writes and real Keras checks ({@link SavedKerasWeightsTest},
 * {@link SavedKerasArchiveTest}), and the helpers both tests use.
 */
final class WrittenModels {
  private WrittenModels() {}

  /** A Java model with the fixture model (fixtures/reference/NAME) whose weights it loads. */
  record Model(String fixture, String javaName, Framework vocabulary, Supplier<InferredModel> model) {
    @Override
    public String toString() {
      return javaName;
    }
  }

  /** The Keras-vocabulary models. */
  static final List<Model> KERAS = List.of(
      new Model("lenet5", "KerasLeNet5", Framework.KERAS, KerasLeNet5Net::model),
      new Model("cnn", "KerasCnn", Framework.KERAS, KerasCnnNet::model),
      new Model("batchnorm", "KerasBatchNorm", Framework.KERAS, KerasBatchNormNet::model),
      new Model("mlp", "Mlp", Framework.KERAS, MlpNet::model),
      new Model("layernorm", "KerasLayerNorm", Framework.KERAS, KerasLayerNormNet::model));

  private static final List<Model> TORCH = List.of(
      new Model("lenet5", "LeNet5", Framework.TORCH, LeNet5Net::model),
      new Model("cnn", "TorchCnn", Framework.TORCH, TorchCnnNet::model),
      new Model("batchnorm", "TorchBatchNorm", Framework.TORCH, TorchBatchNormNet::model),
      new Model("custom", "CustomLayers", Framework.TORCH, CustomLayersNet::model),
      new Model("layernorm", "TorchLayerNorm", Framework.TORCH, TorchLayerNormNet::model),
      new Model("residual", "TinyResidual", Framework.TORCH, TinyResidualNet::model));

  /** The PyTorch-vocabulary models of these fixtures, in this order. */
  static List<Model> torch(String... fixtures) {
    return Arrays.stream(fixtures)
        .map(f -> TORCH.stream().filter(m -> m.fixture().equals(f)).findFirst().orElseThrow())
        .toList();
  }

  /** The reference models as whole pickled PyTorch models, with the input shape they need ("" when stated). */
  static final String[][] PICKLED = {{"lenet5", "1,28,28"}, {"cnn", "1,28,28"}, {"batchnorm", "1,28,28"},
      {"mlp", ""}, {"layernorm", "5,8"}};

  static Shape shape(String csv) {
    return Shape.of(Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray());
  }

  interface Action {
    void run() throws Exception;
  }

  /** What {@code action} prints on {@code System.out}. */
  static String stdout(Action action) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
