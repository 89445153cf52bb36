package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequent.model.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
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
  @ValueSource(strings = {"simple_net", "mlp", "cnn", "batchnorm", "lenet5", "activations"})
  void reproducesPyTorchOutputs(String model) {
    assertReproduces(model, reference(model, "torch_model.pt"));
  }

  static Stream<Arguments> otherForms() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String model : new String[] {"mlp", "cnn", "batchnorm", "lenet5", "activations"}) {
      for (Path file : new Path[] {
          root().resolve("reference").resolve(model).resolve("torchscript.pt"),
          root().resolve("io/torch").resolve(model).resolve("legacy_model.pt"),
          root().resolve("io/torch").resolve(model).resolve("torchscript_traced.pt"),
          root().resolve("io/torch").resolve(model).resolve("torchscript_scripted.pt")}) {
        if (Files.exists(file)) {
          cases.add(Arguments.of(model, file.getParent().getParent().getFileName() + "/" + model + "/"
              + file.getFileName()));
        }
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("otherForms")
  void legacyAndTorchScriptModelsReproducePyTorchOutputs(String model, String file) {
    assertReproduces(model, root().resolve(file.startsWith("reference/") ? file : "io/" + file));
  }

  private static void assertReproduces(String model, Path file) {
    INDArray x = npy(model, "input_torch.npy");
    Shape sample = Shape.of(Arrays.stream(x.shape()).skip(1).mapToInt(Math::toIntExact).toArray());
    Network net = Network.load(file, sample);
    assertEquals(sample, net.inputShape());
    assertClose(npy(model, "output_torch.npy"), net.forward(x), model + " " + file);
  }
}
