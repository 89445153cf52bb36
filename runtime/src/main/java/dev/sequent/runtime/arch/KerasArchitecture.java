package dev.sequent.runtime.arch;

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
import dev.sequent.runtime.io.keras.KerasLayerConfig;
import dev.sequent.runtime.io.keras.KerasModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the network model from a Keras {@code model_config} (Keras 2 and Keras 3 forms,
 * Sequential and Functional): the graph here, each layer's config keys by its kind
 * ({@link LayerKind#fromKeras}). Anything Sequent cannot run is refused with the layer's name and class.
 */
public final class KerasArchitecture {
  private KerasArchitecture() {}

  public static ModelSpec toModelSpec(KerasModelConfig config) {
    Shape input = config.layers().stream()
        .map(KerasLayerConfig::inputShape).flatMap(java.util.Optional::stream).findFirst()
        .filter(dims -> dims.stream().allMatch(d -> d > 0))
        .map(dims -> Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()))
        .orElseThrow(() -> new UnsupportedArchitectureException(
            "the Keras config of " + config.name() + " states no fixed input shape (build the model before saving)"));
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
        new UnsupportedArchitectureException("layer " + layer.name() + " (" + layer.className() + "): "
            + "this layer type is not supported"));
    try {
      return kind.fromKeras(new KerasLayerInput(layer.className(), layer.name(), layer.config(), inputCount,
          imageFormat));
    } catch (UnsupportedLayerException e) {
      throw new UnsupportedArchitectureException(e.getMessage());
    } catch (ShapeException e) {
      throw new UnsupportedArchitectureException("layer " + layer.name() + " (" + layer.className() + "): "
          + e.getMessage());
    }
  }
}
