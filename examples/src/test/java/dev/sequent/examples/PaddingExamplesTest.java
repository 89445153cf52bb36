package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.KerasPadCropNet;
import dev.sequent.examples.torch.TorchZeroPadNet;
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
 * The Java-declared padding models ({@link dev.sequent.examples.keras.KerasPadCrop},
 * {@link dev.sequent.examples.torch.TorchZeroPad}) compile to the shapes the frameworks give, and
 * with the weights of the files real Keras 3 and PyTorch saved (fixtures/make_padding_fixtures.py)
 * compute the frameworks' outputs.
 */
class PaddingExamplesTest {
  private static final Path DIR = root().resolve("padding");

  @Test
  void kerasPadCropHasKerasShapesAndOutputs() {
    InferredModel model = KerasPadCropNet.model();
    assertThat(shapes(model)).containsExactly(Shape.of(14, 14, 4), Shape.of(16, 16, 4), Shape.of(20, 18, 4),
        Shape.of(23, 21, 4), Shape.of(22, 18, 4), Shape.of(20, 16, 4), Shape.of(20, 12, 4), Shape.of(18, 10, 4),
        Shape.of(720), Shape.of(5));
    Network net = KerasPadCropNet.create().loadWeights(DIR.resolve("keras_pad_crop.keras"));
    assertClose(npy("keras_pad_crop_output.npy"), net.forward(npy("keras_pad_crop_input.npy")), "KerasPadCrop");
  }

  @Test
  void torchZeroPadHasPyTorchShapesAndOutputs() {
    InferredModel model = TorchZeroPadNet.model();
    assertThat(shapes(model)).containsExactly(Shape.of(4, 14, 14), Shape.of(4, 17, 17), Shape.of(4, 15, 15),
        Shape.of(4, 17, 17), Shape.of(4, 17, 17), Shape.of(1156), Shape.of(5));
    Network net = TorchZeroPadNet.create().loadWeights(DIR.resolve("torch_zeropad.pt"));
    assertClose(npy("torch_zeropad_output.npy"), net.forward(npy("torch_zeropad_input.npy")), "TorchZeroPad");
  }

  private static List<Shape> shapes(InferredModel model) {
    return model.nodes().stream().map(InferredModel.Layer::outputShape).toList();
  }

  private static INDArray npy(String name) {
    return Nd4j.createFromNpyFile(DIR.resolve(name).toFile()).castTo(DataType.FLOAT);
  }
}
