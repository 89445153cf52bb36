package dev.sequent.runtime.io.keras;

import java.util.List;
import java.util.Optional;

/**
 * A Keras model's architecture as {@code model_config} / {@code config.json} states it, in a form
 * that no longer depends on which Keras wrote it (Keras 2 and Keras 3 spell inbound nodes, input
 * shapes and class references differently; see {@link #parse}).
 *
 * @param className {@code Sequential}, {@code Functional} ({@code Model} in some Keras 2 files), or
 *     a subclassed model's class, whose config then usually lists no layers
 * @param name the model's name
 * @param layers the layers in config order; for Sequential this includes a leading
 *     {@code InputLayer} when the model was built with {@code keras.Input}
 * @param inputLayers names of the layers that receive the model's inputs: {@code input_layers} of a
 *     Functional model; for a Sequential model its first layer
 * @param outputLayers names of the layers whose outputs are the model's outputs: {@code output_layers}
 *     of a Functional model; for a Sequential model its last layer
 * @param inputRefs a Functional model's {@code input_layers} with node and tensor indices, in order
 *     (empty for a Sequential model)
 * @param outputRefs a Functional model's {@code output_layers} likewise
 */
public record KerasModelConfig(
    String className,
    String name,
    List<KerasLayerConfig> layers,
    List<String> inputLayers,
    List<String> outputLayers,
    List<KerasLayerConfig.TensorRef> inputRefs,
    List<KerasLayerConfig.TensorRef> outputRefs) {

  public KerasModelConfig {
    inputRefs = List.copyOf(inputRefs);
    outputRefs = List.copyOf(outputRefs);
    layers = List.copyOf(layers);
    inputLayers = List.copyOf(inputLayers);
    outputLayers = List.copyOf(outputLayers);
  }

  /**
   * Parses a Keras {@code model_config} (from a {@code .h5} root attribute) or a Keras 3
   * {@code config.json} (from a {@code .keras} archive).
   *
   * @throws IllegalArgumentException when the text is not JSON or not a Keras model config, with a
   *     one-line reason
   */
  public static KerasModelConfig parse(String json) {
    return KerasConfigJson.parseModel(json);
  }

  /** The layer of that name, if the model has one. */
  public Optional<KerasLayerConfig> layer(String layerName) {
    return layers.stream().filter(l -> l.name().equals(layerName)).findFirst();
  }

  /** Whether Keras treats this as a Sequential model (its layers form a chain). */
  public boolean isSequential() {
    return className.equals("Sequential");
  }
}
