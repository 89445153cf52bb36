package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;

import dev.sequent.model.Framework;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.testing.Fixtures;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weights saved by real PyTorch in every form (state_dict, whole model, checkpoint, legacy pickle,
 * TorchScript scripted and traced, safetensors), loaded into every Java reference model of the same
 * architecture, PyTorch-vocabulary and Keras-vocabulary alike, reproduce PyTorch's recorded outputs.
 */
class TorchWeightsTest {

  /** Every PyTorch form of the fixture model's weights: reference/ and io/torch/ (legacy, TorchScript). */
  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (ReferenceModels.Case c : ReferenceModels.all()) {
      for (String file : new String[] {"reference/%s/torch_state_dict.pt", "reference/%s/torch_model.pt",
          "reference/%s/torch_checkpoint.pt", "reference/%s/torch_legacy.pt", "reference/%s/torchscript.pt",
          "reference/%s/torch_model.safetensors", "io/torch/%s/legacy_model.pt", "io/torch/%s/torchscript_traced.pt",
          "io/torch/%s/torchscript_scripted.pt"}) {
        String path = String.format(file, c.fixture());
        if (Files.exists(Fixtures.root().resolve(path))) {
          cases.add(Arguments.of(c, path));
        }
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @MethodSource("cases")
  void reproducesPyTorch(ReferenceModels.Case c, String file) {
    Network net = Network.create(c.model().get(), 7);
    net.loadWeights(Fixtures.root().resolve(file));
    INDArray x = npy(c.fixture(), "input_torch.npy");
    // A Keras-vocabulary model takes channels-last images: same data, other layout.
    boolean keras = c.vocabulary() == Framework.KERAS;
    INDArray input = keras ? toChannelsLast(x) : x;
    INDArray expected = npy(c.fixture(), "output_torch.npy");
    assertClose(keras ? toChannelsLast(expected) : expected, net.forward(input), c + " <- " + file);
  }
}
