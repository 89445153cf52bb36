package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertClose;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
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
    // The upsampling layers have a twin; only the last convolution's padding (1 each side at stride 2,
    // Keras' "same" pads 0 before and 1 after) keeps the whole model from having one.
    assertThat(KerasTwin.whyNone(model)).hasValueSatisfying(why -> assertThat(why).startsWith("layer conv3 (Conv2d)"));
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
