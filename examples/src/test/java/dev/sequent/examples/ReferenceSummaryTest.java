package dev.sequent.examples;

import static dev.sequent.runtime.testing.Fixtures.json;
import static dev.sequent.runtime.testing.Fixtures.reference;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.LayerKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shapes and parameter counts Sequent infers at compile time equal what real Keras
 * {@code model.summary()} and real torchinfo report for the same model (fixtures/reference/*).
 */
class ReferenceSummaryTest {

  static Stream<ReferenceModels.Case> kerasModels() {
    return ReferenceModels.keras().stream();
  }

  static Stream<ReferenceModels.Case> torchModels() {
    return ReferenceModels.torch().stream();
  }

  private static Shape shape(JsonNode array) {
    List<Integer> dims = new ArrayList<>();
    array.forEach(d -> dims.add(d.asInt()));
    return new Shape(dims);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kerasModels")
  void kerasVocabularyMatchesKerasSummary(ReferenceModels.Case c) {
    InferredModel m = c.model().get();
    JsonNode ref = json(reference(c.fixture(), "keras_summary.json"));
    assertThat(m.inputShape()).isEqualTo(shape(ref.get("input_shape")));
    assertThat(m.outputShape()).isEqualTo(shape(ref.get("output_shape")));
    List<String> names = new ArrayList<>();
    for (JsonNode layer : ref.get("layers")) {
      String name = layer.get("name").asText();
      names.add(name);
      InferredModel.Layer ours = m.layer(name);
      assertThat(ours.outputShape()).as(name + " output shape").isEqualTo(shape(layer.get("output_shape")));
      assertThat(ours.paramCount()).as(name + " params").isEqualTo(layer.get("params").asLong());
      assertThat(ours.trainableCount()).as(name + " trainable").isEqualTo(layer.get("trainable_params").asLong());
    }
    assertThat(m.nodes().stream().map(InferredModel.Layer::name).toList()).containsExactlyElementsOf(names);
    assertThat(m.totalParams()).isEqualTo(ref.get("total_params").asLong());
    assertThat(m.trainableParams()).isEqualTo(ref.get("trainable_params").asLong());
    assertThat(m.nonTrainableParams()).isEqualTo(ref.get("non_trainable_params").asLong());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("torchModels")
  void torchVocabularyMatchesTorchinfo(ReferenceModels.Case c) {
    InferredModel m = c.model().get();
    JsonNode ref = json(reference(c.fixture(), "torch_summary.json"));
    assertThat(m.inputShape()).isEqualTo(shape(ref.get("input_shape")));
    assertThat(m.outputShape()).isEqualTo(shape(ref.get("output_shape")));
    // torchinfo lists modules; a residual add is code in forward(), not a module.
    List<InferredModel.Layer> modules = m.nodes().stream().filter(l -> LayerKinds.of(l.spec()).isTorchModule()).toList();
    JsonNode layers = ref.get("layers");
    assertThat(modules).hasSize(layers.size());
    long torchParams = 0;
    for (int i = 0; i < layers.size(); i++) {
      JsonNode layer = layers.get(i);
      InferredModel.Layer ours = modules.get(i);
      String what = ours.name() + " vs torch " + layer.get("name").asText();
      assertThat(ours.outputShape()).as(what + " output shape").isEqualTo(shape(layer.get("output_shape")));
      assertThat(ours.trainableCount()).as(what + " params").isEqualTo(layer.get("params").asLong());
      assertThat(ours.multAdds()).as(what + " mult-adds").isEqualTo(layer.get("mult_adds").asLong());
      torchParams += ours.trainableCount();
    }
    assertThat(torchParams).isEqualTo(ref.get("total_params").asLong());
    assertThat(m.trainableParams()).isEqualTo(ref.get("trainable_params").asLong());
    assertThat(m.multAdds()).isEqualTo(ref.get("total_mult_adds").asLong());
  }
}
