package dev.sequent.runtime.io.keras;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One layer of a {@link KerasModelConfig}.
 *
 * @param className the Keras class name ({@code Conv2D}, {@code Dense}, {@code InputLayer}, or a
 *     custom class's name, without the {@code package>} prefix of a Keras 3 registered name)
 * @param name the layer's name, unique within its model
 * @param config the layer's {@code config} object as plain Java values (String, Integer, Long,
 *     Double, Boolean, null, List, Map), unmodifiable, exactly as the file states it: Keras 2
 *     writes {@code "dtype": "float32"} where Keras 3 writes a {@code DTypePolicy} object, and
 *     initializers differ; read such values with care
 * @param inboundLayerNames the layers whose outputs this layer is called on, in call order and
 *     repeated when one feeds it twice; for a Sequential model the previous layer; empty for an
 *     input layer
 * @param inputShape the input shape without the batch axis when the config states one:
 *     {@code batch_shape} (Keras 3) or {@code batch_input_shape} (Keras 2) of an input layer or a
 *     Keras 2 first layer, else a single-tensor Keras 3 {@code build_config.input_shape}; a
 *     dimension Keras leaves open ({@code None}) is {@link #UNKNOWN_DIMENSION}
 * @param inboundCalls a Functional layer's calls, one per {@code inbound_nodes} entry (a layer used
 *     twice has two), each the tensors it is called on in order; the k-th call makes the layer's
 *     node k, which later layers name as {@code [layer, k, tensor]}. Empty in a Sequential model
 * @param callArguments per call, how it passes each tensor of {@code inboundCalls} (positionally or
 *     by keyword) and its keyword arguments that are no tensors ({@code use_causal_mask})
 */
public record KerasLayerConfig(
    String className,
    String name,
    Map<String, Object> config,
    List<String> inboundLayerNames,
    Optional<List<Integer>> inputShape,
    List<List<TensorRef>> inboundCalls,
    List<CallArguments> callArguments) {

  /**
   * How one call passes its tensors: per tensor {@code ""} (positional) or the keyword, and the
   * keyword arguments that are no tensors.
   */
  public record CallArguments(List<String> names, Map<String, Object> options) {
    public CallArguments {
      names = List.copyOf(names);
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    static CallArguments positional(int tensors) {
      return new CallArguments(Collections.nCopies(tensors, ""), Map.of());
    }
  }

  /** A layer whose calls pass every tensor positionally. */
  public KerasLayerConfig(String className, String name, Map<String, Object> config, List<String> inboundLayerNames,
      Optional<List<Integer>> inputShape, List<List<TensorRef>> inboundCalls) {
    this(className, name, config, inboundLayerNames, inputShape, inboundCalls,
        inboundCalls.stream().map(c -> CallArguments.positional(c.size())).toList());
  }

  /** A Keras tensor as a config names it: {@code keras_history} / {@code [layer, node_index, tensor_index]}. */
  public record TensorRef(String layer, int node, int tensor) {}

  /** A dimension the config leaves open ({@code None} in Python). */
  public static final int UNKNOWN_DIMENSION = -1;

  public KerasLayerConfig {
    // JSON configs hold nulls (regularizers, seeds), which Map.copyOf refuses.
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    inboundLayerNames = List.copyOf(inboundLayerNames);
    inputShape = inputShape.map(List::copyOf);
    inboundCalls = inboundCalls.stream().map(List::copyOf).toList();
    callArguments = List.copyOf(callArguments);
    if (callArguments.size() != inboundCalls.size()) {
      throw new IllegalArgumentException(callArguments.size() + " argument lists for " + inboundCalls.size() + " calls");
    }
  }

  /**
   * The nested model when this layer is itself a Sequential or Functional model (its config then
   * lists layers), parsed the same way as a top-level model.
   */
  public Optional<KerasModelConfig> nestedModel() {
    return config.get("layers") instanceof List<?> ? Optional.of(KerasConfigJson.parseNested(this)) : Optional.empty();
  }

  /** This layer with other inbound calls (the same names: only node indices change). */
  KerasLayerConfig withInboundCalls(List<List<TensorRef>> calls) {
    return new KerasLayerConfig(className, name, config, inboundLayerNames, inputShape, calls, callArguments);
  }

  /** A config value by key, or empty when absent or null. */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(config.get(key));
  }
}
