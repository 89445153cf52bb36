package dev.sequent.runtime;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sequent.model.Shape;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Whole pickled nn.Sequential models, architecture and weights from the file, no Java source. */
class NetworkLoadTorchTest {

  @ParameterizedTest
  @ValueSource(strings = {"simple_net", "mlp", "cnn", "batchnorm", "lenet5", "activations"})
  void reproducesPyTorchOutputs(String model) {
    INDArray x = npy(model, "input_torch.npy");
    Shape sample = Shape.of(Arrays.stream(x.shape()).skip(1).mapToInt(Math::toIntExact).toArray());
    Network net = Network.load(reference(model, "torch_model.pt"), sample);
    assertEquals(sample, net.inputShape());
    assertClose(npy(model, "output_torch.npy"), net.forward(x), model + " torch_model.pt");
  }
}
