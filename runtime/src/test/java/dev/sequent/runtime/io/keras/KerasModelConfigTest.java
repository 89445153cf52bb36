package dev.sequent.runtime.io.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.runtime.io.keras.KerasFixtures.LayerView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model configs of the fixtures, as tf_keras (model_config of the .h5) and Keras 3 (config.json
 * of the .keras, model_config of the legacy .h5) wrote them, parsed into the neutral records.
 */
class KerasModelConfigTest {
  private static final List<String> CONFIG_FILES = List.of("tf_keras_model.h5", "keras3_model.h5", "keras3_model.keras");

  static Stream<Arguments> configFiles() {
    return CONFIG_FILES.stream().map(Arguments::of);
  }

  private static KerasModelConfig config(String model, String file) {
    String json = KerasReader.modelConfig(KerasReader.read(KerasFixtures.file(model, file))).orElseThrow();
    return KerasModelConfig.parse(json);
  }

  private static boolean keras2(String file) {
    return file.startsWith("tf_keras");
  }

  @ParameterizedTest
  @MethodSource("configFiles")
  void sequential(String file) {
    KerasModelConfig model = config("sequential", file);
    assertEquals("Sequential", model.className());
    assertEquals("small_sequential", model.name());
    assertEquals(List.of("InputLayer", "Conv2D", "BatchNormalization", "Flatten", "Dense", "Dropout", "Dense"),
        model.layers().stream().map(KerasLayerConfig::className).toList());
    String input = keras2(file) ? "input_1" : "input_layer";
    List<String> names = List.of(input, "conv2d", "batch_normalization", "flatten", "dense", "dropout", "dense_1");
    assertEquals(names, model.layers().stream().map(KerasLayerConfig::name).toList());
    assertEquals(names.subList(1, names.size()), kerasLayerNames("sequential", file), "Keras's own model.layers");

    KerasLayerConfig inputLayer = model.layers().get(0);
    assertEquals(Optional.of(List.of(6, 6, 2)), inputLayer.inputShape(),
        keras2(file) ? "from batch_input_shape" : "from batch_shape");
    assertEquals(List.of(), inputLayer.inboundLayerNames());

    KerasLayerConfig conv = model.layer("conv2d").orElseThrow();
    assertEquals(3, conv.config().get("filters"));
    assertEquals(List.of(3, 3), conv.config().get("kernel_size"));
    assertEquals("relu", conv.config().get("activation"));
    assertEquals(List.of(input), conv.inboundLayerNames(), "a Sequential layer is fed by the previous one");
    assertEquals(file.endsWith(".keras") ? Optional.of(List.of(6, 6, 2)) : Optional.empty(), conv.inputShape(),
        "config.json states build_config.input_shape; model_config in .h5 (Keras 2 or 3) does not");
    assertEquals(0.001, model.layer("batch_normalization").orElseThrow().config().get("epsilon"));
    assertEquals(4, model.layer("dense").orElseThrow().config().get("units"));
    assertEquals("tanh", model.layer("dense").orElseThrow().config().get("activation"));
    assertEquals(0.5, model.layer("dropout").orElseThrow().config().get("rate"));
    assertEquals(List.of("dropout"), model.layer("dense_1").orElseThrow().inboundLayerNames());
    assertEquals(List.of(input), model.inputLayers());
    assertEquals(List.of("dense_1"), model.outputLayers());
  }

  @ParameterizedTest
  @MethodSource("configFiles")
  void functionalWithTwoBranches(String file) {
    KerasModelConfig model = config("functional", file);
    assertEquals("Functional", model.className());
    assertEquals("two_branch", model.name());
    assertEquals(List.of("InputLayer", "Dense", "Dense", "Add", "Dense"),
        model.layers().stream().map(KerasLayerConfig::className).toList());
    assertEquals(kerasLayerNames("functional", file), model.layers().stream().map(KerasLayerConfig::name).toList());

    Map<String, List<String>> inbound = Map.of(
        "features", List.of(),
        "branch_a", List.of("features"),
        "branch_b", List.of("features"),
        "merge", List.of("branch_a", "branch_b"),
        "head", List.of("merge"));
    for (KerasLayerConfig layer : model.layers()) {
      assertEquals(inbound.get(layer.name()), layer.inboundLayerNames(), "inbound of " + layer.name());
    }
    assertEquals(List.of("features"), model.inputLayers());
    assertEquals(List.of("head"), model.outputLayers());
    assertEquals(Optional.of(List.of(5)), model.layer("features").orElseThrow().inputShape());
    assertEquals(Optional.empty(), model.layer("merge").orElseThrow().inputShape(), "two inputs: no single shape");
    assertEquals(3, model.layer("head").orElseThrow().config().get("units"));
    assertEquals("relu", model.layer("branch_a").orElseThrow().config().get("activation"));
  }

  @ParameterizedTest
  @MethodSource("configFiles")
  void nestedModelCustomLayerAndDtypes(String file) {
    KerasModelConfig model = config("mixed", file);
    assertEquals(List.of("InputLayer", "Dense", "Functional", "StepScales", "Dense"),
        model.layers().stream().map(KerasLayerConfig::className).toList());

    KerasLayerConfig block = model.layer("block").orElseThrow();
    assertEquals(List.of("double_dense"), block.inboundLayerNames());
    KerasModelConfig nested = block.nestedModel().orElseThrow();
    assertEquals("Functional", nested.className());
    assertEquals("block", nested.name());
    assertEquals(List.of("block_in", "half_dense"), nested.layers().stream().map(KerasLayerConfig::name).toList());
    assertEquals(List.of("block_in"), nested.inputLayers());
    assertEquals(List.of("half_dense"), nested.outputLayers());
    assertEquals(List.of("block_in"), nested.layer("half_dense").orElseThrow().inboundLayerNames());
    assertEquals(Optional.of(List.of(4)), nested.layer("block_in").orElseThrow().inputShape());
    assertEquals(Optional.empty(), model.layer("out").orElseThrow().nestedModel());

    // Keras 2 writes the dtype as a string, Keras 3 as a DTypePolicy object.
    Object dtype = model.layer("double_dense").orElseThrow().config().get("dtype");
    Object policyName = dtype instanceof Map<?, ?> policy ? ((Map<?, ?>) policy.get("config")).get("name") : dtype;
    assertEquals("float64", policyName);
    assertEquals(keras2(file), dtype instanceof String);
  }

  @Test
  void openDimensionsAreUnknown() {
    KerasModelConfig model = KerasModelConfig.parse("""
        {"class_name": "Functional", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "name": "tokens",
           "config": {"name": "tokens", "batch_shape": [null, null, 8]}, "inbound_nodes": []}],
         "input_layers": [["tokens", 0, 0]], "output_layers": [["tokens", 0, 0]]}}""");
    assertEquals(Optional.of(List.of(KerasLayerConfig.UNKNOWN_DIMENSION, 8)), model.layers().get(0).inputShape());
    assertEquals(List.of("tokens"), model.inputLayers());
  }

  @Test
  void configValuesAreUnmodifiable() {
    KerasLayerConfig conv = config("sequential", "keras3_model.keras").layer("conv2d").orElseThrow();
    assertThrows(UnsupportedOperationException.class, () -> conv.config().put("filters", 4));
    @SuppressWarnings("unchecked")
    List<Object> kernelSize = (List<Object>) conv.config().get("kernel_size");
    assertThrows(UnsupportedOperationException.class, () -> kernelSize.set(0, 5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[1, 2]", "{\"config\": {}}", "{\"class_name\": \"Sequential\"}", "{\"class_name\": "})
  void notAModelConfig(String json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasModelConfig.parse(json));
    assertTrue(e.getMessage().startsWith("model config "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  /** The layer names Keras reported for the model loaded from that file (model.layers). */
  private static List<String> kerasLayerNames(String model, String file) {
    return KerasFixtures.view(model, file).layers().stream().map(LayerView::name).toList();
  }
}
