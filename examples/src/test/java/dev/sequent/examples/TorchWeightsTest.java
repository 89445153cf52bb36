package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;

import dev.sequent.model.Framework;
import dev.sequent.runtime.Network;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Weights saved by real PyTorch, loaded into every Java reference model of the same architecture,
 * PyTorch-vocabulary and Keras-vocabulary alike, reproduce PyTorch's recorded outputs.
 */
class TorchWeightsTest {

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (ReferenceModels.Case c : ReferenceModels.all()) {
      for (String file : new String[] {"torch_state_dict.pt", "torch_model.pt", "torch_checkpoint.pt"}) {
        if (Files.exists(dev.sequent.runtime.testing.Fixtures.root().resolve("reference").resolve(c.fixture()).resolve(file))) {
          cases.add(Arguments.of(c, file));
        }
      }
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @MethodSource("cases")
  void reproducesPyTorch(ReferenceModels.Case c, String file) {
    Network net = Network.create(c.model().get(), 7);
    net.loadWeights(reference(c.fixture(), file));
    INDArray x = npy(c.fixture(), "input_torch.npy");
    // A Keras-vocabulary model takes channels-last images: same data, other layout.
    boolean keras = c.vocabulary() == Framework.KERAS;
    INDArray input = keras ? toChannelsLast(x) : x;
    INDArray expected = npy(c.fixture(), "output_torch.npy");
    assertClose(keras ? toChannelsLast(expected) : expected, net.forward(input), c + " <- " + file);
  }
}
