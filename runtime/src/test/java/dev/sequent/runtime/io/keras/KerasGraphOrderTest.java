package dev.sequent.runtime.io.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequent.runtime.testing.Fixtures;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Keras' {@code model.layers} order of a Functional model, computed from its config alone: for
 * real Keras' whole-model {@code .h5} files with branches, shared and nested layers, several inputs
 * and outputs, it is the file's {@code model_weights} {@code layer_names} (which tf_keras and Keras 3
 * write in {@code model.layers} order), whatever the order of the config's layer list.
 */
class KerasGraphOrderTest {
  /** Real tf_keras and Keras 3 whole-model files (the fixture scripts' models) whose layers branch or merge. */
  private static final List<String> REAL_FILES = List.of(
      "applications/resnet_small.h5", "applications/mobilenet_v2_035.h5", "applications/resnet_v2_small.h5",
      "applications/convnext_mini.h5", "applications/inception_resnet_mini.h5", "unet/keras_unet.h5",
      "merges/keras_merges.h5", "merges/keras_squeeze_excite.h5", "graphs/shared_conv.h5", "graphs/two_inputs.h5",
      "graphs/two_outputs.h5", "graphs/nested_used_twice.h5", "graphs/nested_functional.h5",
      "attention/keras_encoder.h5", "recurrent_graphs/keras_seq2seq.h5", "keras_ops/keras_scalar_forms.h5",
      "reference/residual/keras3.h5", "io/keras/functional/keras3_model.h5");

  static List<String> realFiles() {
    return REAL_FILES;
  }

  @ParameterizedTest
  @MethodSource("realFiles")
  void theOrderIsKerasLayerNamesWhateverTheConfigOrder(String file) throws Exception {
    Path path = Fixtures.root().resolve(file);
    KerasModelConfig config;
    List<String> layerNames;
    try (HdfFile hdf = new HdfFile(path)) {
      config = KerasModelConfig.parse(H5Attributes.string(hdf, "model_config").orElseThrow());
      layerNames = H5Attributes.strings((Group) hdf.getChild("model_weights"), "layer_names").orElseThrow();
    }
    assertThat(names(KerasGraphOrder.layers(config))).as(file).isEqualTo(layerNames);
    Random random = new Random(file.hashCode());
    for (int i = 0; i < 3; i++) {
      List<KerasLayerConfig> shuffled = new ArrayList<>(config.layers());
      Collections.shuffle(shuffled, random);
      KerasModelConfig other = new KerasModelConfig(config.className(), config.name(), shuffled, config.inputLayers(),
          config.outputLayers(), config.inputRefs(), config.outputRefs());
      assertThat(names(KerasGraphOrder.layers(other))).as(file + " shuffled").isEqualTo(layerNames);
    }
  }

  @Test
  void aLayerWithWeightsTheGraphDoesNotReachIsAnError() throws Exception {
    KerasModelConfig config;
    try (HdfFile hdf = new HdfFile(Fixtures.root().resolve("graphs/two_inputs.h5"))) {
      config = KerasModelConfig.parse(H5Attributes.string(hdf, "model_config").orElseThrow());
    }
    KerasWeightsWriter.LayerWeights stray = new KerasWeightsWriter.LayerWeights("stray", List.of(
        new KerasWeightsWriter.Weight("stray/bias:0", "layers/dense_9/vars/0", new long[] {1}, new float[] {0f})));
    assertThatThrownBy(() -> KerasGraphOrder.inLoadOrder(List.of(stray), config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer 'stray' has weights but is not a layer of the model config's graph");
  }

  private static List<String> names(List<KerasLayerConfig> layers) {
    return layers.stream().map(KerasLayerConfig::name).toList();
  }
}
