package dev.sequent.runtime.io.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sequent.runtime.io.WeightFile;
import dev.sequent.runtime.io.WeightFile.LayerWeights;
import dev.sequent.runtime.io.keras.Keras3SavePaths.LayerPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Keras 3's group naming, reproduced from a config, against the groups real Keras 3 wrote. */
class Keras3SavePathsTest {

  /** Pairs printed by keras.src.utils.naming.to_snake_case (Keras 3.15.1). */
  @ParameterizedTest
  @CsvSource({
      "Conv2D, conv2d", "BatchNormalization, batch_normalization", "StepScales, step_scales",
      "InputLayer, input_layer", "MultiHeadAttention, multi_head_attention", "Conv2DTranspose, conv2d_transpose",
      "ReLU, re_lu", "PReLU, p_re_lu", "LSTM, lstm", "DepthwiseConv2D, depthwise_conv2d",
      "GlobalAveragePooling2D, global_average_pooling2d", "HTTPServer2Layer, http_server2_layer", "ABCDef, abc_def"})
  void snakeCaseAsKeras(String className, String expected) {
    assertEquals(expected, Keras3SavePaths.toSnakeCase(className));
  }

  @Test
  void pathsOfNestedModel() {
    KerasModelConfig config = KerasModelConfig.parse(
        KerasReader.modelConfig(KerasReader.read(KerasFixtures.file("mixed", "keras3_model.keras"))).orElseThrow());
    List<String> described = new ArrayList<>();
    for (LayerPath p : Keras3SavePaths.layerPaths(config)) {
      described.add(p.path() + "=" + p.layer().name());
    }
    assertEquals(List.of(
        "layers/dense=double_dense",
        "layers/functional=block",
        "layers/functional/layers/input_layer=block_in",
        "layers/functional/layers/dense=half_dense",
        "layers/step_scales=step_scales",
        "layers/dense_1=out"), described);
  }

  /** Every weighted layer the reader found sits at the path the config predicts for it. */
  @ParameterizedTest
  @ValueSource(strings = {"sequential", "functional", "mixed"})
  void predictedPathsAreWhereKerasPutTheWeights(String model) {
    WeightFile read = KerasReader.read(KerasFixtures.file(model, "keras3_model.keras"));
    KerasModelConfig config = KerasModelConfig.parse(KerasReader.modelConfig(read).orElseThrow());
    Map<String, String> pathByLayer = new java.util.HashMap<>();
    Keras3SavePaths.layerPaths(config).forEach(p -> pathByLayer.put(p.layer().name(), p.path()));
    assertTrue(!read.layerOrder().isEmpty());
    for (LayerWeights layer : read.layerOrder()) {
      String path = pathByLayer.get(layer.layerName());
      for (String tensor : layer.tensorNames()) {
        assertTrue(tensor.startsWith(path + "/vars/"), tensor + " under " + path);
      }
    }
  }

  /** Without a config: "layers" first, numbered repeats in number order, private names last. */
  @Test
  void walkOrderWithoutConfig() {
    List<String> names = new ArrayList<>(List.of(
        "dense_10", "_private", "dense", "dense_2", "layers", "conv2d", "dense_1", "dense_1x", "conv2d_1"));
    names.sort(Keras3WeightsReader::walkOrder);
    assertEquals(List.of("layers", "conv2d", "conv2d_1", "dense", "dense_1", "dense_2", "dense_10", "dense_1x", "_private"),
        names);
  }
}
