package dev.sequent.runtime.io.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.runtime.io.NamedTensor;
import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFile.LayerWeights;
import dev.sequent.runtime.io.keras.KerasFixtures.KerasView;
import dev.sequent.runtime.io.keras.KerasFixtures.LayerView;
import dev.sequent.runtime.io.keras.KerasFixtures.WeightView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture file, in every form, read and compared with what Keras itself reported after
 * loading that file: layer names, weight names, order, shapes and exact float32 values.
 */
class KerasReaderFormatsTest {

  /** The .h5 layouts list layers and weight names exactly as Keras's model.layers / w.name do. */
  static Stream<Arguments> h5Layouts() {
    return KerasFixtures.MODELS.stream().flatMap(model -> Stream.of(
        Arguments.of(model, "tf_keras_model.h5", "keras2-h5", true),
        Arguments.of(model, "tf_keras_weights.h5", "keras-h5-weights", false),
        Arguments.of(model, "keras3_model.h5", "keras3-legacy-h5", true)));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("h5Layouts")
  void h5LayoutMatchesKerasLayersAndWeightNames(String model, String fileName, String format, boolean hasConfig) {
    WeightFile read = KerasReader.read(KerasFixtures.file(model, fileName));
    KerasView keras = KerasFixtures.view(model, fileName);

    assertEquals(format, read.format());
    assertEquals(hasConfig, KerasReader.modelConfig(read).isPresent());
    List<LayerView> weighted = weighted(keras.layers());
    assertEquals(names(weighted, LayerView::name), names(read.layerOrder(), LayerWeights::layerName));
    for (int i = 0; i < weighted.size(); i++) {
      assertEquals(names(weighted.get(i).floatWeights(), WeightView::name), read.layerOrder().get(i).tensorNames(),
          "weights of layer " + weighted.get(i).name());
    }
    assertTensorsEqualKeras(model, fileName, read, weighted);
  }

  /**
   * The Keras 3 weights layout names tensors by dataset path; within a layer they are the Keras
   * layer's weights in order, vars/i being the layer's i-th variable (an int counter keeps its
   * index but is not a tensor). In a .keras archive the config gives the layers' model order.
   */
  static Stream<Arguments> keras3Layouts() {
    return KerasFixtures.MODELS.stream().flatMap(model -> Stream.of(
        Arguments.of(model, "keras3_model.keras", "keras3-archive"),
        Arguments.of(model, "keras3_model.weights.h5", "keras3-weights-h5")));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("keras3Layouts")
  void keras3LayoutMatchesKerasLeafLayers(String model, String fileName, String format) {
    WeightFile read = KerasReader.read(KerasFixtures.file(model, fileName));
    KerasView keras = KerasFixtures.view(model, fileName);

    assertEquals(format, read.format());
    assertEquals(format.equals("keras3-archive"), KerasReader.modelConfig(read).isPresent());
    List<LayerView> weighted = weighted(keras.leafLayers());
    Map<String, LayerView> kerasByName = weighted.stream().collect(Collectors.toMap(LayerView::name, l -> l));
    assertEquals(kerasByName.keySet(), new LinkedHashSet<>(names(read.layerOrder(), LayerWeights::layerName)),
        "weighted layers");
    if (format.equals("keras3-archive")) {
      assertEquals(names(weighted, LayerView::name), names(read.layerOrder(), LayerWeights::layerName),
          "an archive lists layers in config order");
    }
    List<LayerView> inReadOrder = new ArrayList<>();
    for (LayerWeights layer : read.layerOrder()) {
      LayerView k = kerasByName.get(layer.layerName());
      inReadOrder.add(k);
      List<WeightView> floats = k.floatWeights();
      assertEquals(floats.size(), layer.tensorNames().size(), "tensor count of " + layer.layerName());
      for (int j = 0; j < floats.size(); j++) {
        int varIndex = k.weights().indexOf(floats.get(j));
        String name = layer.tensorNames().get(j);
        assertTrue(name.startsWith("layers/") && name.endsWith("/vars/" + varIndex),
            name + " should be variable " + varIndex + " (" + floats.get(j).name() + ") of a layers/ group");
      }
    }
    assertTensorsEqualKeras(model, fileName, read, inReadOrder);
  }

  /** Tensors are exactly those of the layers, with Keras's shapes and values; nothing else. */
  private static void assertTensorsEqualKeras(String model, String fileName, WeightFile read, List<LayerView> layers) {
    List<String> listed = read.layerOrder().stream().flatMap(l -> l.tensorNames().stream()).toList();
    assertEquals(listed, List.copyOf(read.tensors().keySet()), "tensors() holds the listed tensors, in order");
    for (int i = 0; i < layers.size(); i++) {
      List<WeightView> floats = layers.get(i).floatWeights();
      List<String> tensorNames = read.layerOrder().get(i).tensorNames();
      for (int j = 0; j < floats.size(); j++) {
        WeightView expected = floats.get(j);
        NamedTensor actual = read.tensors().get(tensorNames.get(j));
        assertArrayEquals(expected.shape(), actual.shape(), "shape of " + actual.name());
        assertArrayEquals(KerasFixtures.values(model, fileName, expected), actual.data(),
            "values of " + actual.name() + " (Keras: " + expected.name() + ", " + expected.dtype() + ")");
      }
    }
    assertFalse(listed.isEmpty());
  }

  private static List<LayerView> weighted(List<LayerView> layers) {
    return layers.stream().filter(l -> !l.floatWeights().isEmpty()).toList();
  }

  private static <T> List<String> names(List<T> items, Function<T, String> name) {
    return items.stream().map(name).toList();
  }
}
