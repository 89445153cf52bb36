package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sequent.model.InferredModel;
import dev.sequent.model.report.Keras2Config;
import dev.sequent.model.report.KerasTwin;
import dev.sequent.runtime.io.WeightFiles;
import dev.sequent.runtime.io.keras.KerasReader;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code model_config} Sequent writes into whole-model {@code .h5} files is what tf_keras
 * itself writes: for every Keras-vocabulary reference model it equals, as JSON, the
 * {@code model_config} of the reference {@code keras2.h5} that tf_keras' {@code model.save} wrote
 * (fixtures/generate.py), but for the model's name. So does the twin of the PyTorch-vocabulary
 * residual Module (a Functional config with a skip connection), but for BatchNorm's momentum,
 * which stays PyTorch's (0.1, Keras' 0.9) and does not matter at inference. LayerNormalization
 * entries also name their module, which tf_keras ignores and Keras 3 needs.
 */
class Keras2ConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<ReferenceModels.Case> models() {
    return ReferenceModels.keras().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void equalsTheModelConfigTfKerasWrote(ReferenceModels.Case c) throws Exception {
    InferredModel model = c.model().get();
    JsonNode ours = JSON.readTree(Keras2Config.toJson(KerasTwin.of(model)));
    JsonNode theirs = JSON.readTree(
        KerasReader.modelConfig(WeightFiles.read(reference(c.fixture(), "keras2.h5"))).orElseThrow());
    ((ObjectNode) ours.get("config")).put("name", theirs.get("config").get("name").asText());
    withoutNamedModules(ours);
    assertThat(ours).isEqualTo(theirs);
  }

  /**
   * Sequent names the module of the layers whose kind asks for it (LayerNormalization: Keras 3's
   * legacy loader would drop a multi-axis list otherwise, see LayerKind#legacyH5NamesModule);
   * tf_keras writes no module. Checks those two keys and removes them, so the rest is compared.
   */
  private static void withoutNamedModules(JsonNode config) {
    for (JsonNode layer : config.get("config").get("layers")) {
      if (layer.has("module")) {
        assertThat(layer.get("class_name").asText()).isEqualTo("LayerNormalization");
        assertThat(layer.get("module").asText()).isEqualTo("keras.layers");
        assertThat(layer.get("registered_name").isNull()).isTrue();
        ((ObjectNode) layer).remove(java.util.List.of("module", "registered_name"));
      }
    }
  }

  @org.junit.jupiter.api.Test
  void theTwinOfThePyTorchResidualModuleIsTheFunctionalModelTfKerasWrote() throws Exception {
    JsonNode ours = JSON.readTree(Keras2Config.toJson(KerasTwin.of(dev.sequent.examples.torch.TinyResidualNet.model())));
    JsonNode theirs = JSON.readTree(
        KerasReader.modelConfig(WeightFiles.read(reference("residual", "keras2.h5"))).orElseThrow());
    ((ObjectNode) ours.get("config")).put("name", theirs.get("config").get("name").asText());
    for (JsonNode layer : ours.get("config").get("layers")) {
      if (layer.get("class_name").asText().equals("BatchNormalization")) {
        assertThat(layer.get("config").get("momentum").asDouble()).isEqualTo(0.9);
        ((ObjectNode) layer.get("config")).put("momentum", 0.99);
      }
    }
    assertThat(ours).isEqualTo(theirs);
  }
}
