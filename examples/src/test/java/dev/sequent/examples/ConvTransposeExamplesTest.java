package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.KerasConvTransposeNet;
import dev.sequent.examples.keras.KerasConvTransposeTwinNet;
import dev.sequent.examples.torch.TorchConvTransposeNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java-declared transposed-convolution models compile to the shapes the frameworks give, and with
 * the weights of the files real PyTorch and Keras 3 saved (fixtures/make_conv_transpose_fixtures.py)
 * compute the frameworks' outputs: each in its own vocabulary, and the PyTorch file's weights in the
 * Keras-vocabulary twin (kernels permuted, images channels-last).
 */
class ConvTransposeExamplesTest {
  private static final Path DIR = root().resolve("conv_transpose");

  @Test
  void torchModelHasPyTorchShapesAndOutputs() {
    assertThat(shapes(TorchConvTransposeNet.model())).containsExactly(Shape.of(4, 10, 10), Shape.of(4, 10, 10),
        Shape.of(4, 20, 20), Shape.of(2, 20, 20), Shape.of(2, 62, 62));
    Network net = TorchConvTransposeNet.create().loadWeights(DIR.resolve("torch_tconv_twin.pt"));
    assertClose(npy("torch_tconv_twin_output.npy"), net.forward(npy("torch_tconv_twin_input.npy")),
        "TorchConvTranspose");
  }

  @Test
  void theKerasTwinTakesThePyTorchWeights() {
    assertThat(shapes(KerasConvTransposeTwinNet.model())).containsExactly(Shape.of(10, 10, 4), Shape.of(10, 10, 4),
        Shape.of(20, 20, 4), Shape.of(20, 20, 2), Shape.of(62, 62, 2));
    Network net = KerasConvTransposeTwinNet.create().loadWeights(DIR.resolve("torch_tconv_twin.pt"));
    INDArray x = npy("torch_tconv_twin_input.npy").permute(0, 2, 3, 1).dup('c');
    INDArray expected = npy("torch_tconv_twin_output.npy").permute(0, 2, 3, 1).dup('c');
    assertClose(expected, net.forward(x), "KerasConvTransposeTwin with PyTorch weights");
  }

  @Test
  void kerasModelHasKerasShapesAndOutputs() {
    assertThat(shapes(KerasConvTransposeNet.model())).containsExactly(Shape.of(10, 12, 4), Shape.of(23, 38, 3),
        Shape.of(23, 38, 2), Shape.of(21, 36, 2));
    Network net = KerasConvTransposeNet.create().loadWeights(DIR.resolve("keras_tconv.keras"));
    assertClose(npy("keras_tconv_output.npy"), net.forward(npy("keras_tconv_input.npy")), "KerasConvTranspose");
  }

  private static List<Shape> shapes(InferredModel model) {
    return model.nodes().stream().map(InferredModel.Layer::outputShape).toList();
  }

  private static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile()).castTo(DataType.FLOAT);
  }
}
