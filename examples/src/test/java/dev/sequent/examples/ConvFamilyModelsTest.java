package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.toChannelsFirst;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.KerasConvFamilyNet;
import dev.sequent.examples.keras.KerasTwinConvFamilyNet;
import dev.sequent.examples.torch.TorchConvFamilyNet;
import dev.sequent.examples.torch.TorchDepthwiseTwinNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
    // Its PyTorch and Keras files load into the PyTorch-vocabulary model (a DepthwiseConv2D kernel
    // (kh, kw, C, M) read as Conv2d(groups=C)'s Keras form (kh, kw, 1, C*M)).
    for (String name : new String[] {"twin.pt", "twin.safetensors", "twin.keras", "twin.weights.h5", "twin.h5"}) {
      Path file = tmp.resolve(name);
      keras.saveWeights(file);
      assertThat(Files.size(file)).isPositive();
      Network torch = Network.create(TorchConvFamilyNet.model(), 5).loadWeights(file);
      assertClose(torchOut(), torch.forward(torchIn()), "TorchConvFamily from " + name);
    }
  }

  /**
   * Real Keras DepthwiseConv2D kernels {@code (kh, kw, C, M)}, in every Keras file form, load into a
   * PyTorch-vocabulary {@code Conv2d(groups = C)} and give Keras' output on the same data channels-first.
   */
  @ParameterizedTest
  @ValueSource(strings = {"keras_depthwise_twin.weights.h5", "keras_depthwise_twin.keras", "keras_depthwise_twin.h5"})
  void kerasDepthwiseKernelsLoadIntoGroupedConvolutions(String file) {
    Path twin = root().resolve("depthwise_twin");
    Network net = Network.create(TorchDepthwiseTwinNet.model(), 3).loadWeights(twin.resolve(file));
    assertBatchAndEachSample(net::forward, toChannelsFirst(npy(twin.resolve("keras_depthwise_twin_input.npy"))),
        toChannelsFirst(npy(twin.resolve("keras_depthwise_twin_output.npy"))), "TorchDepthwiseTwin from " + file);
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
