package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.torchIo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sequent.model.Shape;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.torch.TorchReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Files that carry a whole nn.Sequential, architecture and weights from the file, no Java source:
 * pickled models (zip and legacy) and TorchScript archives (scripted and traced).
 */
class NetworkLoadTorchTest {

  @ParameterizedTest
  @ValueSource(strings = {"simple_net", "mlp", "cnn", "batchnorm", "lenet5", "activations", "layernorm"})
  void reproducesPyTorchOutputs(String model) {
    assertReproduces(model, reference(model, "torch_model.pt"));
  }

  /**
   * Every legacy and TorchScript whole nn.Sequential of the fixtures, listed: a missing file fails
   * its case, and {@link #theListIsEveryWholeSequentialOfTheFixtures} fails on one the list leaves out.
   */
  static final String[] OTHER_FORMS = {
      "reference/mlp/torchscript.pt", "io/torch/mlp/legacy_model.pt", "io/torch/mlp/torchscript_traced.pt",
      "reference/cnn/torchscript.pt", "io/torch/cnn/legacy_model.pt", "io/torch/cnn/torchscript_traced.pt",
      "reference/batchnorm/torchscript.pt", "io/torch/batchnorm/legacy_model.pt",
      "io/torch/batchnorm/torchscript_traced.pt",
      "reference/lenet5/torchscript.pt", "io/torch/lenet5/legacy_model.pt", "io/torch/lenet5/torchscript_traced.pt",
      "io/torch/activations/legacy_model.pt", "io/torch/activations/torchscript_traced.pt",
      "io/torch/activations/torchscript_scripted.pt",
      "reference/layernorm/torchscript.pt", "io/torch/layernorm/legacy_model.pt",
      "io/torch/layernorm/torchscript_traced.pt", "io/torch/layernorm/torchscript_scripted.pt"};

  static Stream<Arguments> otherForms() {
    return Stream.of(OTHER_FORMS).map(f -> Arguments.of(f.split("/")[f.startsWith("io/") ? 2 : 1], f));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("otherForms")
  void legacyAndTorchScriptModelsReproducePyTorchOutputs(String model, String file) {
    Path path = root().resolve(file);
    assertThat(path).as("fixture").isRegularFile();
    assertReproduces(model, path);
  }

  /**
   * The TorchScript and legacy whole-model files the list leaves out are those of the custom-module
   * models (residual, custom), which are no nn.Sequential (see the tests at the end).
   */
  @Test
  void theListIsEveryWholeSequentialOfTheFixtures() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root().resolve("reference"), 2)) {
      files.filter(f -> f.getFileName().toString().equals("torchscript.pt"))
          .forEach(f -> found.add(root().relativize(f).toString()));
    }
    try (Stream<Path> files = Files.walk(root().resolve("io/torch"), 2)) {
      files.filter(f -> f.getFileName().toString().matches("legacy_model\\.pt|torchscript_(traced|scripted)\\.pt"))
          .map(f -> root().relativize(f).toString())
          .filter(f -> !f.startsWith("io/torch/residual/") && !f.startsWith("io/torch/custom/"))
          .forEach(found::add);
    }
    assertThat(found).containsExactlyInAnyOrder(OTHER_FORMS);
  }

  private static void assertReproduces(String model, Path file) {
    INDArray x = npy(model, "input_torch.npy");
    Shape sample = Shape.of(Arrays.stream(x.shape()).skip(1).mapToInt(Math::toIntExact).toArray());
    Network net = Network.load(file, sample);
    assertEquals(sample, net.inputShape());
    assertClose(npy(model, "output_torch.npy"), net.forward(x), model + " " + file);
  }

  @Test
  void dataParallelPrefixIsStrippedWhenEveryNameHasItWithAWarning() {
    INDArray x = npy("lenet5", "input_torch.npy");
    Network net = Network.load(reference("lenet5", "torch_model.pt"), Shape.of(1, 28, 28));
    INDArray expected = net.forward(x);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Path prefixed = reference("lenet5", "torch_module_prefixed.pt");
    try {
      net.loadWeights(prefixed);
    } finally {
      System.setErr(original);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARN").contains(prefixed.toString())
        .contains("every tensor name starts with \"module.\"");
    assertClose(expected, net.forward(x), "lenet5 <- torch_module_prefixed.pt");
    // the explicit option does the same, silently
    net.loadWeights(prefixed, TorchReadOptions.DEFAULT.withStripPrefix("module."));
    assertClose(expected, net.forward(x), "lenet5 <- torch_module_prefixed.pt, --strip-prefix module.");
  }

  @Test
  void wholeModelInsideACheckpointIsLoaded() {
    Path file = torchIo("checkpoint", "model_in_checkpoint.pt"); // {"model": nn.Sequential, "epoch": 5}
    INDArray x = npy("simple_net", "input_torch.npy");
    INDArray expected = npy(torchIo("checkpoint", "output_model.npy"));
    assertClose(expected, Network.load(file).forward(x), "the only model in the checkpoint");
    assertClose(expected, Network.load(file, TorchReadOptions.entry("model")).forward(x), "entry model");
    assertThat(assertThrows(dev.sequent.runtime.io.WeightFileException.class,
        () -> Network.load(file, TorchReadOptions.entry("epoch"))).getMessage())
        .contains("entry \"epoch\" is a number, not a state_dict");
  }

  @Test
  void checkpointEntryWithWeightsOnlyHasNoArchitecture() {
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class,
        () -> Network.load(reference("lenet5", "torch_checkpoint.pt"), TorchReadOptions.entry("model")));
    assertThat(e.getMessage()).contains("holds weights only").contains("torch-zip/checkpoint[model]");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @ValueSource(strings = {"variants_traced.pt", "variants_scripted.pt"})
  void torchScriptLayerOptionsBeyondTheReferenceModels(String file) {
    // Conv2d(padding="same", bias=False), MaxPool2d(3, stride=1, padding=1),
    // GELU(approximate="tanh"), Flatten, Linear(bias=False)
    INDArray x = npy(torchIo("variants", "input.npy"));
    Network net = Network.load(torchIo("variants", file), Shape.of(2, 6, 6));
    assertClose(npy(torchIo("variants", "output.npy")), net.forward(x), file);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @ValueSource(strings = {"reflect_traced.pt", "reflect_scripted.pt"})
  void torchScriptLayerSequentCannotRunIsRefusedByName(String file) {
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class,
        () -> Network.load(torchIo("variants", file), Shape.of(2, 6, 6)));
    assertThat(e.getMessage()).startsWith("layer 0 (torch.nn.modules.conv.Conv2d")
        .contains(file.contains("traced") ? "does not record its groups" : "padding_mode=reflect is not supported");
  }

  /**
   * A TorchScript module that is not an nn.Sequential is built from its code (TorchScriptGraph):
   * the scripted and traced Residual give PyTorch's output. The custom model is an nn.Sequential of a
   * user module (AddVector, a parameter added to the input) that has no layer: refused module by module.
   */
  @ParameterizedTest
  @ValueSource(strings = {"torchscript_scripted.pt", "torchscript_traced.pt"})
  void torchScriptOfCustomModulesIsBuiltFromItsCode(String file) {
    Network net = Network.load(torchIo("residual", file), Shape.of(4, 8, 8));
    assertClose(npy("residual", "output_torch.npy"), net.forward(npy("residual", "input_torch.npy")),
        "residual " + file);
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class,
        () -> Network.load(torchIo("custom", "torchscript_traced.pt"), Shape.of(4, 8)));
    assertThat(e.getMessage()).contains("layer 1 (__torch__.reference_models.AddVector): this layer type is not supported");
  }
}
