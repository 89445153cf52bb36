package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.runtime.Network;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.cli.SequentCli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.factory.Nd4j;

/** Whole-model Keras files run with no Java source, from the API and from ./sequent predict. */
class NetworkLoadTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
      "simple_net, keras2.h5, output_keras2.npy", "simple_net, keras3.h5, output_keras3.npy",
      "simple_net, keras3.keras, output_keras3.npy",
      "mlp, keras2.h5, output_keras2.npy", "mlp, keras3.h5, output_keras3.npy", "mlp, keras3.keras, output_keras3.npy",
      "cnn, keras2.h5, output_keras2.npy", "cnn, keras3.h5, output_keras3.npy", "cnn, keras3.keras, output_keras3.npy",
      "batchnorm, keras2.h5, output_keras2.npy", "batchnorm, keras3.h5, output_keras3.npy",
      "batchnorm, keras3.keras, output_keras3.npy",
      "lenet5, keras2.h5, output_keras2.npy", "lenet5, keras3.h5, output_keras3.npy",
      "lenet5, keras3.keras, output_keras3.npy",
      "activations, keras2.h5, output_keras2.npy", "activations, keras3.h5, output_keras3.npy",
      "activations, keras3.keras, output_keras3.npy",
      "strided_same, keras2.h5, output_keras2.npy", "strided_same, keras3.h5, output_keras3.npy",
      "strided_same, keras3.keras, output_keras3.npy",
      "residual, keras2.h5, output_keras2.npy", "residual, keras3.h5, output_keras3.npy",
      "residual, keras3.keras, output_keras3.npy",
      "layernorm, keras2.h5, output_keras2.npy", "layernorm, keras3.h5, output_keras3.npy",
      "layernorm, keras3.keras, output_keras3.npy"})
  void loadsArchitectureAndWeightsFromTheFile(String model, String file, String output) {
    Network net = Network.load(reference(model, file));
    assertClose(npy(model, output), net.forward(npy(model, "input_keras.npy")), model + "/" + file);
  }

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({"lenet5, keras3.keras, output_keras3.npy, input_keras.npy",
      "cnn, keras2.h5, output_keras2.npy, input_keras.npy",
      "residual, keras3.h5, output_keras3.npy, input_keras.npy",
      "lenet5, torch_model.pt, output_torch.npy, input_torch.npy"})
  void predictCommandReproducesTheFramework(String model, String file, String output, String input) {
    Path out = tmp.resolve(model + ".npy");
    int code = SequentCli.run("predict", reference(model, file).toString(), "--input",
        reference(model, input).toString(), "--output", out.toString());
    assertThat(code).isZero();
    assertClose(npy(model, output), Nd4j.createFromNpyFile(out.toFile()), "predict " + model + "/" + file);
  }

  @Test
  void customLayersAreNamedWhenThereIsNoJavaClassForThem() {
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class,
        () -> Network.load(reference("custom", "keras3.keras")));
    assertThat(e.getMessage()).contains("layer shift").contains("AddVector").contains("not supported");
  }

  @Test
  void configRoundTripsThroughFromConfig() {
    Network original = dev.sequent.examples.keras.KerasLeNet5Net.create();
    Network rebuilt = Network.fromConfig(original.config());
    assertThat(rebuilt.summary()).isEqualTo(original.summary());
    assertThat(rebuilt.config()).isEqualTo(original.config());
    // The architecture Keras itself wrote reads back too.
    Network fromKeras = Network.fromConfig(
        dev.sequent.runtime.testing.Fixtures.json(reference("residual", "keras_config.json")).toString());
    assertThat(fromKeras.outputShape()).isEqualTo(dev.sequent.model.Shape.of(3));
    assertThat(fromKeras.model().totalParams()).isEqualTo(939); // Keras' own count, keras_summary.json
  }

  @Test
  void pytorchVocabularyConfigRebuildsAModelThatRunsPyTorchWeights() {
    // The Keras form of a channels-first PyTorch model: Conv2D/MaxPooling2D with
    // data_format="channels_first" and a plain-reshape Flatten, as Keras would run it.
    Network rebuilt = Network.fromConfig(dev.sequent.examples.torch.TorchCnnNet.create().config());
    rebuilt.loadWeights(reference("cnn", "torch_state_dict.pt"));
    assertClose(npy("cnn", "output_torch.npy"), rebuilt.forward(npy("cnn", "input_torch.npy")), "cnn via config");
  }

  @Test
  void weightsOnlyFilesNeedAJavaModel() {
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class,
        () -> Network.load(reference("lenet5", "keras3.weights.h5")));
    assertThat(e.getMessage()).contains("weights only").contains("declare the model in Java");
  }
}
