package dev.sequent.runtime.io.keras;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ModelSpec;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import dev.sequent.model.kind.KerasLayerInput;
import dev.sequent.model.kind.LayerKind;
import dev.sequent.model.kind.LayerKinds;
import dev.sequent.model.kind.UnsupportedLayerException;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.arch.UnsupportedArchitectureException;
import dev.sequent.runtime.io.FileArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The architecture of a Keras file: its {@code model_config} JSON (Keras 2 and Keras 3 forms,
 * Sequential and Functional), parsed when the model is asked for. The graph is built here, each
 * layer's config keys by its kind ({@link LayerKind#fromKeras}). Anything Sequent cannot run is
 * refused with the layer's name and class.
 *
 * @param json the {@code model_config} (a {@code .h5}'s root attribute) or {@code config.json} (a
 *     {@code .keras} archive's entry), as the file holds it
 */
public record KerasConfigArchitecture(String json) implements FileArchitecture {
  /**
   * The model the config describes, named as the config names it, with its own input shape
   * ({@code name} and {@code inputShape} are not used).
   *
   * @throws IllegalArgumentException when the JSON is no Keras model config
   */
  @Override
  public ModelSpec modelSpec(String name, Optional<Shape> inputShape) {
    return toModelSpec(KerasModelConfig.parse(json));
  }

  /** The model a parsed config describes. */
  public static ModelSpec toModelSpec(KerasModelConfig config) {
    Shape input = config.layers().stream()
        .map(KerasLayerConfig::inputShape).flatMap(Optional::stream).findFirst()
        .filter(dims -> dims.stream().allMatch(d -> d > 0))
        .map(dims -> Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()))
        .orElseThrow(() -> new UnsupportedArchitectureException(
            RuntimeMessage.KERAS_CONFIG_WITHOUT_INPUT_SHAPE.format(config.name())));
    List<Node> nodes = new ArrayList<>();
    String previous = ModelSpec.INPUT;
    boolean functional = !config.isSequential();
    List<String> inputNames = config.inputLayers();
    DataFormat imageFormat = DataFormat.CHANNELS_LAST;
    for (KerasLayerConfig layer : config.layers()) {
      if (layer.className().equals("InputLayer")) {
        continue;
      }
      List<String> inputs;
      if (functional) {
        inputs = layer.inboundLayerNames().stream()
            .map(n -> inputNames.contains(n) ? ModelSpec.INPUT : n).toList();
      } else {
        inputs = List.of(previous);
      }
      LayerSpec spec = layer(layer, inputs.size(), imageFormat);
      // An image layer sets the format of the images after it (a Flatten states the one it was given).
      if (spec.dataFormat() != null) {
        imageFormat = spec.dataFormat();
      }
      nodes.add(new Node(layer.name(), spec, inputs));
      previous = layer.name();
    }
    String output = functional && !config.outputLayers().isEmpty() ? config.outputLayers().get(0) : previous;
    return new ModelSpec(config.name(), functional ? ModelSpec.Style.MODULE : ModelSpec.Style.SEQUENTIAL,
        Framework.KERAS, input, nodes, output);
  }

  /** The record of one layer, by the kind that reads its class. */
  static LayerSpec layer(KerasLayerConfig layer, int inputCount, DataFormat imageFormat) {
    LayerKind<?> kind = LayerKinds.forKerasClass(layer.className()).orElseThrow(() ->
        new UnsupportedArchitectureException(RuntimeMessage.LAYER_TYPE_NOT_SUPPORTED.format(layer.name(),
            layer.className())));
    try {
      return kind.fromKeras(new KerasLayerInput(layer.className(), layer.name(), layer.config(), inputCount,
          imageFormat));
    } catch (UnsupportedLayerException e) {
      throw new UnsupportedArchitectureException(e.getMessage());
    } catch (ShapeException e) {
      throw new UnsupportedArchitectureException(RuntimeMessage.LAYER_DOES_NOT_CHECK.format(layer.name(),
          layer.className(), e.getMessage()));
    }
  }
}
