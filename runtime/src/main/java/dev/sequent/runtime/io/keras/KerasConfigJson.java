package dev.sequent.runtime.io.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequent.model.kind.KerasLayerInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
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
  /** The module of Keras 3 operation nodes; also the prefix of their class in {@link KerasLayerConfig}. */
  static final String KERAS_OPERATIONS = "keras.src.ops.";
  /** tf_keras' layer for a TensorFlow function called in the model's code. */
  private static final String TF_OP_LAMBDA = "TFOpLambda";
  /** tf_keras' stand-in for a constant first argument of such a call. */
  private static final String TF_CONSTANT = "_CONSTANT_VALUE";

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
    List<KerasLayerConfig.TensorRef> inputRefs = List.of();
    List<KerasLayerConfig.TensorRef> outputRefs = List.of();
    if (sequential) {
      inputs = layers.isEmpty() ? List.of() : List.of(layers.get(0).name());
      outputs = layers.isEmpty() ? List.of() : List.of(layers.get(layers.size() - 1).name());
    } else {
      inputs = historyNames(config.path("input_layers"));
      outputs = historyNames(config.path("output_layers"));
      inputRefs = historyRefs(config.path("input_layers"));
      outputRefs = historyRefs(config.path("output_layers"));
      if (isKeras2Graph(config)) {
        Set<String> skipFirst = new HashSet<>();
        layers.stream().filter(KerasConfigJson::ownNodeFirst).forEach(l -> skipFirst.add(l.name()));
        layers = layers.stream().map(l -> l.withInboundCalls(l.inboundCalls().stream()
            .map(call -> shifted(call, skipFirst)).toList())).toList();
        outputRefs = shifted(outputRefs, skipFirst);
      }
    }
    return new KerasModelConfig(className, name, layers, inputs, outputs, inputRefs, outputRefs);
  }

  private static KerasLayerConfig layer(JsonNode node, String previousInSequential, boolean sequential) {
    String className = text(node, "class_name").map(KerasConfigJson::simpleClassName)
        .orElseThrow(() -> new IllegalArgumentException("a layer in the model config has no class_name"));
    JsonNode config = node.path("config");
    String name = text(node, "name").or(() -> text(config, "name"))
        .orElseThrow(() -> new IllegalArgumentException("a " + className + " layer in the model config has no name"));
    // Keras 3 saves an operation applied in the model's code (x + 3.0) as a node named like a layer
    // (Add, Multiply) but of module keras.src.ops.*, its constants among the call's arguments. Read as
    // the layer, the constant would be dropped; its class keeps the module so that no kind claims it.
    String module = text(node, "module").orElse("");
    String kind = module.startsWith(KERAS_OPERATIONS) ? module + "." + className : className;
    List<String> inbound = new ArrayList<>();
    List<List<KerasLayerConfig.TensorRef>> calls = new ArrayList<>();
    List<KerasLayerConfig.CallArguments> callArguments = new ArrayList<>();
    if (sequential) {
      if (previousInSequential != null) {
        inbound.add(previousInSequential);
      }
    } else {
      for (JsonNode inboundNode : node.path("inbound_nodes")) {
        List<KerasLayerConfig.TensorRef> call = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Object> options = new LinkedHashMap<>();
        collectInbound(inboundNode, call, names, options);
        call.forEach(r -> inbound.add(r.layer()));
        calls.add(call);
        callArguments.add(new KerasLayerConfig.CallArguments(names, options));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> configMap = config.isObject() ? (Map<String, Object>) frozen(JSON.convertValue(config, Object.class)) : Map.of();
    if (isOperation(module, className)) {
      Map<String, Object> withArguments = new LinkedHashMap<>(configMap);
      withArguments.put(KerasLayerInput.CALL_ARGUMENTS, operationArguments(node.path("inbound_nodes")));
      configMap = Collections.unmodifiableMap(withArguments);
    }
    return new KerasLayerConfig(kind, name, configMap, inbound, inputShape(config, node.path("build_config")),
        calls, callArguments);
  }

  /**
   * A node made by code in the model rather than by a layer: Keras 3's operation nodes and tf_keras'
   * {@code TFOpLambda}, whose constants are arguments of the call.
   */
  private static boolean isOperation(String module, String className) {
    return module.startsWith(KERAS_OPERATIONS) || className.equals(TF_OP_LAMBDA);
  }

  /**
   * The positional arguments of an operation's first call: numbers as they are, tensors as
   * {@link KerasLayerInput#TENSOR_ARGUMENT}. Keras 3 writes {@code {"args": [tensor, 3.0]}};
   * tf_keras writes the first argument as the node's one entry ({@code ["conv", 0, 0, {"y": 3.0}]}, or
   * {@code ["_CONSTANT_VALUE", -1, 3.0, {"y": ["conv", 0, 0]}]} for {@code 3.0 + x}) and the others
   * among its keyword arguments.
   */
  private static List<Object> operationArguments(JsonNode inboundNodes) {
    List<Object> arguments = new ArrayList<>();
    JsonNode call = inboundNodes.path(0);
    if (call.isObject()) {
      call.path("args").forEach(a -> arguments.add(argument(a)));
    } else if (call.isArray() && call.size() > 0) {
      JsonNode entry = call.path(0).isArray() ? call.get(0) : call;
      arguments.add(TF_CONSTANT.equals(entry.path(0).asText()) ? number(entry.path(2)) : KerasLayerInput.TENSOR_ARGUMENT);
      entry.path(3).fields().forEachRemaining(kw -> {
        if (!kw.getKey().equals("name")) {
          arguments.add(isKeras2Ref(kw.getValue()) ? KerasLayerInput.TENSOR_ARGUMENT : argument(kw.getValue()));
        }
      });
    }
    return List.copyOf(arguments);
  }

  private static Object argument(JsonNode a) {
    if (a.isObject() && KERAS_TENSOR.equals(a.path("class_name").asText(null))) {
      return KerasLayerInput.TENSOR_ARGUMENT;
    }
    return a.isNumber() ? number(a) : a.toString();
  }

  private static Object number(JsonNode a) {
    return a.isNumber() ? (Object) a.doubleValue() : a.toString();
  }

  /** {@code [layer, node_index, tensor_index]} as tf_keras writes a tensor among keyword arguments. */
  private static boolean isKeras2Ref(JsonNode v) {
    return v.isArray() && v.size() >= 3 && v.get(0).isTextual() && v.get(1).isInt() && v.get(2).isInt();
  }

  /**
   * Keras 2: a node is a list of [layer, n, t, kwargs], whose kwargs may name more tensors as
   * [layer, n, t] ({@code {"value": ["v", 0, 0], "use_causal_mask": true}}); Keras 3: {"args": ...,
   * "kwargs": ...}. Collects the tensors in order with the keyword each is passed by ("" for a
   * positional one) and the keyword arguments that are no tensors. tf_keras writes a TFOpLambda's
   * node as its one entry, not as a list of entries, and a constant first argument of one
   * ({@code 3.0 + x}) as the entry {@code ["_CONSTANT_VALUE", -1, 3.0, {"y": ["conv", 0, 0]}]}.
   */
  private static void collectInbound(JsonNode inboundNode, List<KerasLayerConfig.TensorRef> out, List<String> names,
      Map<String, Object> options) {
    if (inboundNode.isArray()) {
      List<JsonNode> kwargs = new ArrayList<>();
      Iterable<JsonNode> entries = inboundNode.path(0).isTextual() ? List.of(inboundNode) : inboundNode;
      for (JsonNode entry : entries) {
        if (entry.isArray() && entry.size() >= 3 && entry.get(0).isTextual()) {
          if (!TF_CONSTANT.equals(entry.get(0).asText())) {
            out.add(ref(entry));
            names.add("");
          }
          if (entry.size() > 3 && entry.get(3).isObject()) {
            kwargs.add(entry.get(3));
          }
        }
      }
      for (JsonNode kw : kwargs) {
        kw.fields().forEachRemaining(f -> {
          int before = out.size();
          collectKeras2Tensors(f.getValue(), out);
          if (out.size() == before) {
            options.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
          }
          for (int i = before; i < out.size(); i++) {
            names.add(f.getKey());
          }
        });
      }
    } else if (inboundNode.isObject()) {
      collectKerasTensors(inboundNode.path("args"), out);
      while (names.size() < out.size()) {
        names.add("");
      }
      inboundNode.path("kwargs").fields().forEachRemaining(f -> {
        int before = out.size();
        collectKerasTensors(f.getValue(), out);
        if (out.size() == before) {
          options.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
        }
        for (int i = before; i < out.size(); i++) {
          names.add(f.getKey());
        }
      });
    }
  }

  /** Keras 2 kwargs name a tensor as [layer, n, t] (or a list of such). */
  private static void collectKeras2Tensors(JsonNode node, List<KerasLayerConfig.TensorRef> out) {
    if (!node.isArray()) {
      return;
    }
    if (node.size() >= 3 && node.get(0).isTextual() && node.get(1).isInt() && node.get(2).isInt()) {
      out.add(ref(node));
      return;
    }
    node.forEach(child -> collectKeras2Tensors(child, out));
  }

  private static void collectKerasTensors(JsonNode node, List<KerasLayerConfig.TensorRef> out) {
    if (node.isObject()) {
      if (KERAS_TENSOR.equals(node.path("class_name").asText(null))) {
        JsonNode history = node.path("config").path("keras_history");
        if (history.isArray() && history.size() > 0 && history.get(0).isTextual()) {
          out.add(ref(history));
        }
        return;
      }
      node.forEach(child -> collectKerasTensors(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> collectKerasTensors(child, out));
    }
  }

  /** Keras 2 writes a Functional layer's inbound nodes as lists, Keras 3 as {"args": ...} objects. */
  private static boolean isKeras2Graph(JsonNode config) {
    for (JsonNode layer : config.path("layers")) {
      for (JsonNode inbound : layer.path("inbound_nodes")) {
        return inbound.isArray();
      }
    }
    return false;
  }

  /**
   * Keras 2 ({@code functional.get_network_config}) keeps a nested model's own first node, made
   * when the nested model was built on its {@code InputLayer}, out of the outer config but still
   * counts it: the nested model's first call in the outer graph is its node 1
   * ({@code _should_skip_first_node}). Keras 3 numbers the calls from 0.
   */
  private static boolean ownNodeFirst(KerasLayerConfig layer) {
    return layer.config().get("layers") instanceof List<?> sub && !sub.isEmpty()
        && sub.get(0) instanceof Map<?, ?> first && "InputLayer".equals(first.get("class_name"));
  }

  /** The references with the node index of a {@link #ownNodeFirst} model made Keras 3's (one less). */
  private static List<KerasLayerConfig.TensorRef> shifted(List<KerasLayerConfig.TensorRef> refs, Set<String> skipFirst) {
    return refs.stream().map(r -> skipFirst.contains(r.layer()) && r.node() > 0
        ? new KerasLayerConfig.TensorRef(r.layer(), r.node() - 1, r.tensor()) : r).toList();
  }

  /** {@code [layer, node_index, tensor_index, ...]}; missing indices are 0. */
  private static KerasLayerConfig.TensorRef ref(JsonNode entry) {
    return new KerasLayerConfig.TensorRef(entry.get(0).asText(), entry.path(1).asInt(0), entry.path(2).asInt(0));
  }

  /** As {@link #historyNames}, with the node and tensor indices. */
  private static List<KerasLayerConfig.TensorRef> historyRefs(JsonNode node) {
    List<KerasLayerConfig.TensorRef> refs = new ArrayList<>();
    if (node.isArray() && node.size() > 0 && node.get(0).isTextual()) {
      refs.add(ref(node));
    } else if (node.isArray() || node.isObject()) {
      node.forEach(child -> refs.addAll(historyRefs(child)));
    }
    return refs;
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
