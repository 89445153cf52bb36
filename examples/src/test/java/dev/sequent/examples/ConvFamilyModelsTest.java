package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.KerasConvFamilyNet;
import dev.sequent.examples.keras.KerasTwinConvFamilyNet;
import dev.sequent.examples.torch.TorchConvFamilyNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The convolution-family models declared in Java compile to the frameworks' shapes, take the
 * weights real PyTorch, Keras 3 and tf_keras saved (fixtures/conv_family) and reproduce their
 * outputs; the PyTorch-vocabulary model and its Keras-vocabulary twin load each other's files.
 */
class ConvFamilyModelsTest {
  @TempDir
  Path tmp;

  private static Path dir() {
    return root().resolve("conv_family");
  }

  private static INDArray torchIn() {
    return npy(dir().resolve("torch_conv_family_input.npy"));
  }

  private static INDArray torchOut() {
    return npy(dir().resolve("torch_conv_family_output.npy"));
  }

  @Test
  void thePytorchVocabularyModel() {
    InferredModel model = TorchConvFamilyNet.model();
    assertThat(model.layer("depthwise2").outputShape()).isEqualTo(Shape.of(64, 16, 16));
    assertThat(model.outputShape()).isEqualTo(Shape.of(8, 7, 7));
    assertThat(KerasTwin.whyNone(model)).isEmpty();
    for (String file : new String[] {"torch_conv_family.pt", "torch_conv_family_traced.pt"}) {
      Network net = Network.create(model, 3).loadWeights(dir().resolve(file));
      assertClose(torchOut(), net.forward(torchIn()), "TorchConvFamily from " + file);
    }
  }

  @Test
  void theKerasTwinLoadsThePytorchFileAndBack() throws Exception {
    Network keras = Network.create(KerasTwinConvFamilyNet.model(), 3).loadWeights(dir().resolve("torch_conv_family.pt"));
    assertClose(torchOut().permute(0, 2, 3, 1).dup('c'), keras.forward(torchIn().permute(0, 2, 3, 1).dup('c')),
        "KerasTwinConvFamily from the PyTorch file");
    // Its PyTorch files load into the PyTorch-vocabulary model. (Its Keras files do not: a DepthwiseConv2D
    // kernel (kh, kw, C, M) is refused as mis-shaped for Conv2d(groups=C)'s Keras form (kh, kw, 1, C*M).)
    for (String name : new String[] {"twin.pt", "twin.safetensors"}) {
      Path file = tmp.resolve(name);
      keras.saveWeights(file);
      assertThat(Files.size(file)).isPositive();
      Network torch = Network.create(TorchConvFamilyNet.model(), 5).loadWeights(file);
      assertClose(torchOut(), torch.forward(torchIn()), "TorchConvFamily from " + name);
    }
  }

  @Test
  void theKerasVocabularyModel() {
    InferredModel model = KerasConvFamilyNet.model();
    assertThat(model.layer("depthwise_conv2d_1").outputShape()).isEqualTo(Shape.of(8, 8, 64));
    assertThat(model.outputShape()).isEqualTo(Shape.of(3, 3, 8));
    for (String file : new String[] {"keras_conv_family.keras", "keras_conv_family.h5"}) {
      Network net = Network.create(model, 3).loadWeights(dir().resolve(file));
      assertClose(npy(dir().resolve("keras_conv_family_output.npy")),
          net.forward(npy(dir().resolve("keras_conv_family_input.npy"))), "KerasConvFamily from " + file);
    }
  }

  /** A Keras model's .pt and .safetensors hold the PyTorch names and layouts; they load back into it. */
  @Test
  void theKerasModelRoundTripsThroughPytorchFiles() throws Exception {
    Network net = Network.create(KerasConvFamilyNet.model(), 3).loadWeights(dir().resolve("keras_conv_family.keras"));
    for (String name : new String[] {"k.pt", "k.safetensors"}) {
      Path file = tmp.resolve(name);
      net.saveWeights(file);
      Network back = Network.create(KerasConvFamilyNet.model(), 7).loadWeights(file);
      assertClose(npy(dir().resolve("keras_conv_family_output.npy")),
          back.forward(npy(dir().resolve("keras_conv_family_input.npy"))), "KerasConvFamily through " + name);
    }
  }
}
