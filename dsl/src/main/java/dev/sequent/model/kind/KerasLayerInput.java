package dev.sequent.model.kind;

import dev.sequent.model.DataFormat;
import java.util.List;
import java.util.Map;

/**
 * One layer of a Keras config as a kind reads it: its class and name, its {@code config} object as
 * plain Java values (String, Integer, Long, Double, Boolean, null, List, Map) in either dialect
 * (Keras 3 or tf_keras), and what the layer's place in the model tells.
 *
 * @param inputCount how many tensors the layer is called on
 * @param imageFormat the data format of the images reaching the layer (the last image layer's, else channels-last)
 * @param arguments how the call passes each of its {@code inputCount} tensors, in order: {@value #POSITIONAL}
 *     for a positional argument (or one inside a positional list), else the keyword
 *     ({@code mha(q, v, key=k, attention_mask=m)} gives {@code "", "", "key", "attention_mask"})
 * @param callOptions the call's keyword arguments that are no tensors ({@code use_causal_mask: true})
 */
public record KerasLayerInput(String className, String name, Map<String, Object> config, int inputCount,
    DataFormat imageFormat, List<String> arguments, Map<String, Object> callOptions) implements LayerAttributes {

  /** The {@link #arguments} entry of a positional tensor. */
  public static final String POSITIONAL = "";

  public KerasLayerInput {
    arguments = List.copyOf(arguments);
    callOptions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(callOptions));
    if (!arguments.isEmpty() && arguments.size() != inputCount) {
      throw new IllegalArgumentException(arguments.size() + " argument names for " + inputCount + " inputs");
    }
  }

  /** A layer called on {@code inputCount} positional tensors with no other arguments. */
  public KerasLayerInput(String className, String name, Map<String, Object> config, int inputCount,
      DataFormat imageFormat) {
    this(className, name, config, inputCount, imageFormat, java.util.Collections.nCopies(inputCount, POSITIONAL),
        Map.of());
  }

  /**
   * The config key under which the reader puts the positional arguments of an operation node's call
   * (Keras 3 {@code keras.src.ops.*} nodes, tf_keras {@code TFOpLambda}), whose constants are
   * arguments rather than config: a list of numbers and {@link #TENSOR_ARGUMENT}s in call order.
   */
  public static final String CALL_ARGUMENTS = "__call_arguments__";
  /** A tensor among {@link #CALL_ARGUMENTS}. */
  public static final String TENSOR_ARGUMENT = "__tensor__";

  @Override
  public Map<String, Object> values() {
    return config;
  }

  @Override
  public String keyWord() {
    return "config key";
  }

  /** An axis list with {@code fallback} when the config states none (tf_keras writes {@code [3]} where Keras 3 writes {@code -1}). */
  public int[] ints(String key, int fallback) {
    return get(key) == null ? new int[] {fallback} : ints(key);
  }

  /** The layer's {@code data_format}: channels-last unless it says channels_first. */
  public DataFormat dataFormat() {
    return "channels_first".equals(config.get("data_format")) ? DataFormat.CHANNELS_FIRST : DataFormat.CHANNELS_LAST;
  }
}
