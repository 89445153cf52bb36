package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static dev.sequent.runtime.testing.Fixtures.toChannelsLast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.examples.keras.KerasUpsampleNet;
import dev.sequent.examples.torch.TorchUpsampleNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Upsample2D;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The upsampling models declared in Java ({@link dev.sequent.examples.torch.TorchUpsample},
 * {@link dev.sequent.examples.keras.KerasUpsample}) compile to the shapes the frameworks give, take
 * the weights of the files real PyTorch, Keras 3 and tf_keras saved (fixtures/upsampling) and
 * reproduce their outputs.
 */
class UpsampleModelsTest {
  private static Path dir() {
    return root().resolve("upsampling");
  }

  @Test
  void thePytorchVocabularyModel() {
    InferredModel model = TorchUpsampleNet.model();
    assertThat(model.layer("up1").outputShape()).isEqualTo(Shape.of(8, 16, 16));
    assertThat(model.layer("up2").outputShape()).isEqualTo(Shape.of(8, 32, 48));
    assertThat(model.outputShape()).isEqualTo(Shape.of(4, 16, 24));
    Network net = Network.create(model, 3).loadWeights(dir().resolve("torch_nearest_bilinear.pt"));
    assertClose(npy(dir().resolve("torch_nearest_bilinear_output.npy")),
        net.forward(npy(dir().resolve("torch_nearest_bilinear_input.npy"))), "TorchUpsample");
    // The last convolution's padding (1 each side at stride 2, where Keras' "same" pads 0 before and
    // 1 after) is twinned as ZeroPadding2D then a "valid" Conv2D; the twin, with the exported weights,
    // gives PyTorch's output on the input moved channels-last.
    InferredModel twin = KerasTwin.of(model);
    assertThat(twin.nodes()).extracting(l -> l.name() + ":" + l.spec().typeName())
        .containsSubsequence("conv3_pad:ZeroPadding2D", "conv3:Conv2D");
    Network keras = Network.create(twin, 4).setWeights(net.getWeights());
    assertClose(toChannelsLast(npy(dir().resolve("torch_nearest_bilinear_output.npy"))),
        keras.forward(toChannelsLast(npy(dir().resolve("torch_nearest_bilinear_input.npy")))), "TorchUpsample's Keras twin");
  }

  @Test
  void theKerasVocabularyModel() {
    InferredModel model = KerasUpsampleNet.model();
    assertThat(model.layer("up_sampling2d").outputShape()).isEqualTo(Shape.of(16, 16, 8));
    assertThat(model.layer("up_sampling2d_1").outputShape()).isEqualTo(Shape.of(32, 48, 8));
    assertThat(model.outputShape()).isEqualTo(Shape.of(16, 24, 4));
    for (String file : new String[] {"keras_nearest_bilinear.keras", "keras_nearest_bilinear.h5"}) {
      Network net = Network.create(model, 3).loadWeights(dir().resolve(file));
      assertClose(npy(dir().resolve("keras_nearest_bilinear_output.npy")),
          net.forward(npy(dir().resolve("keras_nearest_bilinear_input.npy"))), "KerasUpsample from " + file);
    }
  }
}
