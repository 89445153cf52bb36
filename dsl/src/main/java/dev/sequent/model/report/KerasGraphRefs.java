package dev.sequent.model.report;

import dev.sequent.model.InferredModel;
import dev.sequent.model.ModelSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a Functional config names the tensors of a model: a layer appears once however often it is
 * called ({@link dev.sequent.model.Node#sharesWeightsOf}), its k-th call's output is
 * {@code [layer, k, 0]}, and a model input is its input layer's node 0. Used by the Keras 3 and
 * tf_keras config writers and the Keras summary alike.
 */
final class KerasGraphRefs {
  /** For each layer with weights of its own (or none shared), its calls in order: itself first. */
  final Map<String, List<InferredModel.Layer>> calls = new LinkedHashMap<>();
  private final Map<String, Ref> refs = new HashMap<>();
  private final Map<String, String> inputLayers = new HashMap<>();

  /** A tensor as {@code keras_history} names it. */
  record Ref(String layer, int node) {}

  /**
   * @param singleInputName the input layer name of a single-input model ({@value ModelSpec#INPUT}
   *     has none in Keras); several inputs keep their names
   */
  KerasGraphRefs(InferredModel model, String singleInputName) {
    for (ModelSpec.Input in : model.spec().inputs()) {
      inputLayers.put(in.name(), in.name().equals(ModelSpec.INPUT) ? singleInputName : in.name());
    }
    for (InferredModel.Layer l : model.nodes()) {
      String owner = l.node().sharesWeights() ? l.node().sharesWeightsOf() : l.name();
      calls.computeIfAbsent(owner, k -> new ArrayList<>()).add(l);
    }
    calls.forEach((owner, list) -> {
      for (int k = 0; k < list.size(); k++) {
        refs.put(list.get(k).name(), new Ref(owner, k));
      }
    });
  }

  /** The input layer's name for a model input. */
  String inputLayer(String input) {
    return inputLayers.get(input);
  }

  /** The Keras reference of a tensor: a model input or a node's output. */
  Ref ref(String tensor) {
    String input = inputLayers.get(tensor);
    return input != null ? new Ref(input, 0) : refs.get(tensor);
  }
}
