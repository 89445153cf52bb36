package dev.sequent.model.kind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a layer of a Keras Functional model is called on its inputs, as a config's
 * {@code inbound_nodes} entry records it: which input tensors are positional and which go by
 * keyword, and the keyword arguments that are no tensors. Most layers take one tensor, or a list of
 * them (the merges: {@code Add()([a, b])}); an attention layer is called as
 * {@code mha(query, value, key=k, attention_mask=m, use_causal_mask=True)}.
 *
 * @param arguments the argument name of each tensor the call passes ({@code query}, {@code value},
 *     {@code key}); empty for the usual call (one tensor, or one positional list of all of them)
 * @param inputs per argument, the index of the layer input it passes: Keras' self-attention passes
 *     its one input twice, {@code mha(x, x)}
 * @param positional how many of the first inputs Keras 3 passes positionally (the others by their
 *     name); tf_keras passes the first positionally and every other by its name
 * @param options the keyword arguments that are no tensors, in the order Keras writes them
 */
public record KerasCall(List<String> arguments, List<Integer> inputs, int positional, Map<String, Object> options) {
  /** One tensor, or several in one positional list. */
  public static final KerasCall USUAL = new KerasCall(List.of(), List.of(), 0, Map.of());

  public KerasCall {
    arguments = List.copyOf(arguments);
    inputs = List.copyOf(inputs);
    if (inputs.size() != arguments.size()) {
      throw new IllegalArgumentException(inputs.size() + " inputs for " + arguments.size() + " arguments");
    }
    if (positional < 0 || positional > arguments.size()) {
      throw new IllegalArgumentException(positional + " positional of " + arguments.size() + " arguments");
    }
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** Whether the inputs are each an argument of their own (rather than one tensor or one list). */
  public boolean separate() {
    return !arguments.isEmpty();
  }
}
