package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.toChannelsFirst;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;

import dev.sequent.examples.keras.KerasBatchNormNet;
import dev.sequent.examples.keras.KerasCnnNet;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.runtime.Network;
import org.junit.jupiter.api.Test;

/**
 * stateDict() and getWeights() give what the other framework's twin needs: moved between the two
 * vocabularies, weights keep reproducing the framework that trained them (flatten order and
 * BatchNorm eps converted on the way out, as on the way in).
 */
class ExportTest {

  @Test
  void kerasTrainedCnnMovesToThePyTorchTwinThroughStateDict() {
    Network keras = KerasCnnNet.create().loadWeights(reference("cnn", "keras3.keras"));
    Network torch = TorchCnnNet.create().loadStateDict(keras.stateDict());
    assertClose(npy("cnn", "output_keras3.npy"), torch.forward(toChannelsFirst(npy("cnn", "input_keras.npy"))),
        "Keras CNN weights via stateDict()");
  }

  @Test
  void pytorchTrainedCnnMovesToTheKerasTwinThroughGetWeights() {
    Network torch = TorchCnnNet.create().loadWeights(reference("cnn", "torch_state_dict.pt"));
    Network keras = KerasCnnNet.create().setWeights(torch.getWeights());
    assertClose(npy("cnn", "output_torch.npy"), keras.forward(toChannelsLast(npy("cnn", "input_torch.npy"))),
        "PyTorch CNN weights via getWeights()");
  }

  @Test
  void batchNormEpsilonSurvivesBothDirections() {
    Network keras = KerasBatchNormNet.create().loadWeights(reference("batchnorm", "keras2.h5"));
    Network torch = TorchBatchNormNet.create().loadStateDict(keras.stateDict());
    assertClose(toChannelsFirst(npy("batchnorm", "output_keras2.npy")),
        torch.forward(toChannelsFirst(npy("batchnorm", "input_keras.npy"))), "Keras BatchNorm into PyTorch");
    Network back = KerasBatchNormNet.create().setWeights(torch.getWeights());
    assertClose(npy("batchnorm", "output_keras2.npy"), back.forward(npy("batchnorm", "input_keras.npy")),
        "and back");
  }
}
