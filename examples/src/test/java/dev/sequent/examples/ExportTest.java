package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static dev.sequent.runtime.testing.Fixtures.toChannelsFirst;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.KerasBatchNormNet;
import dev.sequent.examples.keras.KerasCnnNet;
import dev.sequent.examples.torch.TorchBatchNormNet;
import dev.sequent.examples.torch.TorchCnnNet;
import dev.sequent.model.Framework;
import dev.sequent.runtime.Network;
import dev.sequent.runtime.weights.WeightMapping;
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

  /** The conversion report convert prints names each step in the direction the values travel. */
  @Test
  void conversionReportNamesEachStepInTheDirectionOfTravel() {
    dev.sequent.model.InferredModel cnn = TorchCnnNet.model();
    dev.sequent.model.report.NamedParam dense = param(cnn, "4.weight");
    assertThat(WeightMapping.describeImport(cnn, dense, Framework.KERAS))
        .isEqualTo("(in,out) -> (out,in); input rows HWC -> CHW");
    assertThat(WeightMapping.describeExport(cnn, dense, Framework.KERAS))
        .isEqualTo("(out,in) -> (in,out); input rows CHW -> HWC");
    assertThat(WeightMapping.describeExport(cnn, dense, Framework.TORCH)).isEqualTo("as is");
    assertThat(WeightMapping.describeImport(cnn, param(cnn, "0.weight"), Framework.KERAS)).isEqualTo("HWIO -> OIHW");

    dev.sequent.model.InferredModel bn = TorchBatchNormNet.model();
    dev.sequent.model.report.NamedParam variance = param(bn, "0.running_var");
    assertThat(WeightMapping.describeImport(bn, variance, Framework.KERAS))
        .isEqualTo("variance + (0.001 - 1.0E-5) for eps 1.0E-5");
    assertThat(WeightMapping.describeExport(bn, variance, Framework.KERAS))
        .isEqualTo("variance + (1.0E-5 - 0.001) for eps 0.001");
    dev.sequent.model.InferredModel kerasCnn = KerasCnnNet.model();
    assertThat(WeightMapping.describeExport(kerasCnn, param(kerasCnn, "4.weight"), Framework.TORCH))
        .isEqualTo("(in,out) -> (out,in); input rows HWC -> CHW");
  }

  private static dev.sequent.model.report.NamedParam param(dev.sequent.model.InferredModel model, String torchName) {
    return dev.sequent.model.report.ParameterNames.of(model).stream().filter(p -> p.torchName().equals(torchName))
        .findFirst().orElseThrow(() -> new AssertionError("no parameter " + torchName));
  }
}
