package dev.sequent.runtime.io.torch;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TorchScript archives of modules that are not {@code nn.Sequential}, saved by real PyTorch
 * (fixtures/make_torchscript_graph_fixtures.py), run through {@link Network#load} with no Java
 * source against PyTorch's outputs: the batch of 8 in one call and each sample alone.
 */
class TorchScriptGraphTest {
  private static Path dir() {
    return root().resolve("torchscript_graphs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"narrow_resnet18_traced.pt", "mobilenet_v2_traced.pt", "densenet_traced.pt",
      "lstm_classifier_traced.pt", "functional_traced.pt", "custom_traced.pt", "custom_scripted.pt"})
  void tracedModulesGivePyTorchOutputs(String file) {
    assertPyTorchOutput(file);
  }

  private static void assertPyTorchOutput(String file) {
    String stem = file.replaceFirst("_(traced|scripted)\\.pt$", "");
    INDArray x = npy(dir().resolve(stem + "_input.npy"));
    INDArray expected = npy(dir().resolve(stem + "_output.npy"));
    long[] sample = Arrays.copyOfRange(x.shape(), 1, x.rank());
    Network net = Network.load(dir().resolve(file), new Shape(Arrays.stream(sample).mapToInt(d -> (int) d)
        .boxed().toList()));
    assertBatchAndEachSample(net::forward, x, expected, file);
  }
}
