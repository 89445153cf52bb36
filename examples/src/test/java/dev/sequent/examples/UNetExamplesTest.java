package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.assertBatchAndEachSample;
import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.npy;
import static dev.sequent.runtime.testing.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.examples.keras.KerasUNetNet;
import dev.sequent.examples.torch.unet.TorchUNetNet;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.report.NamedParam;
import dev.sequent.runtime.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * UNet-style encoder-decoders (skip connections joined on the channel axis, transposed-convolution
 * upsampling) that real PyTorch and real Keras 3 / tf_keras built and saved
 * (fixtures/make_unet_fixtures.py, fixtures/unet): the PyTorch-vocabulary {@code TorchUNet} (with a
 * {@code DoubleConv} block) loads the {@code state_dict} by name, the Keras-vocabulary
 * {@code KerasUNet} loads the {@code .keras} and {@code .h5} files by layer name, the files load
 * with no Java source too, and every one gives the framework's output at batch 8 and per sample.
 */
class UNetExamplesTest {
  private static final Path DIR = root().resolve("unet");

  @Test
  void torchUNetLoadsTheStateDictByNameAndReproducesPytorch() {
    InferredModel m = TorchUNetNet.model();
    assertThat(m.layer("skip1").inputShapes()).containsExactly(Shape.of(16, 8, 8), Shape.of(16, 8, 8));
    assertThat(m.layer("skip2").outputShape()).isEqualTo(Shape.of(16, 16, 16));
    assertThat(TorchUNetNet.parameters().stream().map(NamedParam::torchName))
        .contains("inc.0.weight", "down1.1.3.weight", "down2.1.4.running_var", "up1.weight", "conv1.1.bias",
            "outc.bias");
    Network net = TorchUNetNet.create().loadWeights(DIR.resolve("torch_unet_state_dict.pt"));
    assertBatchAndEachSample(net::forward, npy(DIR.resolve("torch_unet_input.npy")),
        npy(DIR.resolve("torch_unet_output.npy")), "TorchUNet");
  }

  /** torch.cat is a call in forward(), not a row; the Sequential Down levels nest DoubleConv to depth 3. */
  @Test
  void torchUNetSummaryIsTorchinfosTable() throws IOException {
    String real = Files.readString(DIR.resolve("torch_unet_torchinfo.txt"));
    assertThat(TorchUNetNet.torchSummary()).isEqualTo(real);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras_unet.keras", "keras_unet.h5"})
  void kerasUNetLoadsTheFileByLayerNameAndReproducesKeras(String file) {
    Network net = KerasUNetNet.create().loadWeights(DIR.resolve(file));
    assertBatchAndEachSample(net::forward, npy(DIR.resolve("keras_unet_input.npy")),
        npy(DIR.resolve("keras_unet_output.npy")), "KerasUNet from " + file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keras_unet.keras", "keras_unet.h5"})
  void theKerasFileLoadsWithNoJavaSource(String file) {
    Network net = Network.load(DIR.resolve(file));
    assertBatchAndEachSample(net::forward, npy(DIR.resolve("keras_unet_input.npy")),
        npy(DIR.resolve("keras_unet_output.npy")), file + " through Network.load");
    kerasSummary(net.model(), file);
  }

  @Test
  void compiledKerasUNetHasKerasSummary() {
    kerasSummary(KerasUNetNet.model(), "KerasUNet");
  }

  /** Keras' per-layer output shapes and parameter counts (BatchNormalization's moving statistics counted). */
  private static void kerasSummary(InferredModel m, String what) {
    JsonNode ref = json(DIR.resolve("keras_unet_keras_summary.json"));
    List<String> names = new ArrayList<>();
    for (JsonNode layer : ref.get("layers")) {
      String n = layer.get("name").asText();
      names.add(n);
      InferredModel.Layer ours = m.layer(n);
      List<Integer> dims = new ArrayList<>();
      layer.get("output_shape").forEach(d -> dims.add(d.asInt()));
      assertThat(ours.outputShape()).as(what + " " + n + " output shape").isEqualTo(new Shape(dims));
      assertThat(ours.paramCount()).as(what + " " + n + " params").isEqualTo(layer.get("params").asLong());
      assertThat(ours.trainableCount()).as(what + " " + n + " trainable")
          .isEqualTo(layer.get("trainable_params").asLong());
    }
    assertThat(m.nodes().stream().map(InferredModel.Layer::name).toList()).containsExactlyInAnyOrderElementsOf(names);
    assertThat(m.totalParams()).isEqualTo(ref.get("total_params").asLong());
  }
}
