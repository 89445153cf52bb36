package dev.sequent.runtime.io.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Keras model configs in both spellings into {@link KerasModelConfig}.
 *
 * <p>What differs between Keras 2 (tf_keras) and Keras 3, as the fixtures show:
 * <ul>
 *   <li>Keras 3 adds {@code module}, {@code registered_name} and {@code build_config} beside
 *       {@code class_name} / {@code config}; Keras 2 has only the latter two.
 *   <li>InputLayer: {@code batch_shape} (Keras 3) vs {@code batch_input_shape} (Keras 2).
 *   <li>Functional {@code inbound_nodes}: Keras 2 writes a list of nodes, each a list of
 *       {@code [layer, node_index, tensor_index, kwargs]}; Keras 3 writes
 *       {@code {"args": [...], "kwargs": {...}}} whose tensors are
 *       {@code {"class_name": "__keras_tensor__", "config": {"keras_history": [layer, n, t]}}},
 *       possibly nested in lists.
 *   <li>{@code input_layers} / {@code output_layers}: always a list of {@code [layer, n, t]} in
 *       Keras 2; Keras 3 writes a single one unwrapped ({@code ["features", 0, 0]}).
 *   <li>Sequential layers carry their name only inside {@code config}; Functional ones also beside it.
 * </ul>
 */
final class KerasConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KERAS_TENSOR = "__keras_tensor__";

  private KerasConfigJson() {}

  static KerasModelConfig parseModel(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("model config is not valid JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("model config is not a JSON object");
    }
    String className = text(root, "class_name")
        .orElseThrow(() -> new IllegalArgumentException("model config has no class_name"));
    JsonNode config = root.path("config");
    if (!config.isObject()) {
      throw new IllegalArgumentException("model config of " + className + " has no config object");
    }
    return model(className, config);
  }

  static KerasModelConfig parseNested(KerasLayerConfig layer) {
    return model(layer.className(), JSON.valueToTree(layer.config()));
  }

  private static KerasModelConfig model(String className, JsonNode config) {
    String name = text(config, "name").orElse("");
    boolean sequential = className.equals("Sequential");
    List<KerasLayerConfig> layers = new ArrayList<>();
    String previous = null;
    for (JsonNode layerNode : config.path("layers")) {
      KerasLayerConfig layer = layer(layerNode, sequential ? previous : null, sequential);
      layers.add(layer);
      previous = layer.name();
    }
    List<String> inputs;
    List<String> outputs;
    if (sequential) {
      inputs = layers.isEmpty() ? List.of() : List.of(layers.get(0).name());
      outputs = layers.isEmpty() ? List.of() : List.of(layers.get(layers.size() - 1).name());
    } else {
      inputs = historyNames(config.path("input_layers"));
      outputs = historyNames(config.path("output_layers"));
    }
    return new KerasModelConfig(className, name, layers, inputs, outputs);
  }

  private static KerasLayerConfig layer(JsonNode node, String previousInSequential, boolean sequential) {
    String className = text(node, "class_name").map(KerasConfigJson::simpleClassName)
        .orElseThrow(() -> new IllegalArgumentException("a layer in the model config has no class_name"));
    JsonNode config = node.path("config");
    String name = text(node, "name").or(() -> text(config, "name"))
        .orElseThrow(() -> new IllegalArgumentException("a " + className + " layer in the model config has no name"));
    List<String> inbound = new ArrayList<>();
    if (sequential) {
      if (previousInSequential != null) {
        inbound.add(previousInSequential);
      }
    } else {
      for (JsonNode inboundNode : node.path("inbound_nodes")) {
        collectInbound(inboundNode, inbound);
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> configMap = config.isObject() ? (Map<String, Object>) frozen(JSON.convertValue(config, Object.class)) : Map.of();
    return new KerasLayerConfig(className, name, configMap, inbound, inputShape(config, node.path("build_config")));
  }

  /** Keras 2: a node is a list of [layer, n, t, kwargs]; Keras 3: {"args": ..., "kwargs": ...}. */
  private static void collectInbound(JsonNode inboundNode, List<String> out) {
    if (inboundNode.isArray()) {
      for (JsonNode entry : inboundNode) {
        if (entry.isArray() && entry.size() >= 3 && entry.get(0).isTextual()) {
          out.add(entry.get(0).asText());
        }
      }
    } else if (inboundNode.isObject()) {
      collectKerasTensors(inboundNode.path("args"), out);
      collectKerasTensors(inboundNode.path("kwargs"), out);
    }
  }

  private static void collectKerasTensors(JsonNode node, List<String> out) {
    if (node.isObject()) {
      if (KERAS_TENSOR.equals(node.path("class_name").asText(null))) {
        JsonNode history = node.path("config").path("keras_history");
        if (history.isArray() && history.size() > 0 && history.get(0).isTextual()) {
          out.add(history.get(0).asText());
        }
        return;
      }
      node.forEach(child -> collectKerasTensors(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> collectKerasTensors(child, out));
    }
  }

  /** [name, n, t] alone (Keras 3, one tensor), a list of them, or a dict of them (named inputs). */
  private static List<String> historyNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isArray() && node.size() > 0 && node.get(0).isTextual()) {
      names.add(node.get(0).asText());
    } else if (node.isArray() || node.isObject()) {
      node.forEach(child -> names.addAll(historyNames(child)));
    }
    return names;
  }

  private static Optional<List<Integer>> inputShape(JsonNode config, JsonNode buildConfig) {
    for (String key : List.of("batch_shape", "batch_input_shape")) {
      Optional<List<Integer>> shape = shapeWithoutBatch(config.path(key));
      if (shape.isPresent()) {
        return shape;
      }
    }
    return shapeWithoutBatch(buildConfig.path("input_shape"));
  }

  /** A list of ints and nulls, batch axis first; anything else (several shapes, absent) is empty. */
  private static Optional<List<Integer>> shapeWithoutBatch(JsonNode shape) {
    if (!shape.isArray() || shape.size() == 0) {
      return Optional.empty();
    }
    List<Integer> dims = new ArrayList<>();
    for (int i = 1; i < shape.size(); i++) {
      JsonNode d = shape.get(i);
      if (d.isNull()) {
        dims.add(KerasLayerConfig.UNKNOWN_DIMENSION);
      } else if (d.isIntegralNumber() && d.canConvertToInt()) {
        dims.add(d.intValue());
      } else {
        return Optional.empty();
      }
    }
    JsonNode batch = shape.get(0);
    return batch.isNull() || batch.isIntegralNumber() ? Optional.of(dims) : Optional.empty();
  }

  /**
   * Keras 3's legacy .h5 writes a registered custom class as its registered name
   * ({@code "sequent_fixtures>StepScales"}) where config.json writes {@code "StepScales"}; both
   * become the class name.
   */
  private static String simpleClassName(String className) {
    return className.substring(className.lastIndexOf('>') + 1);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  /** Deep unmodifiable copy of what Jackson produced (LinkedHashMap / ArrayList / scalars). */
  private static Object frozen(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), frozen(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(frozen(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
