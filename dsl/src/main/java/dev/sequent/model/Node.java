package dev.sequent.model;

import java.util.List;

/**
 * One named layer of a model and the names of the tensors it reads: a model input's name
 * ({@value ModelSpec#INPUT} for a single-input model), otherwise other nodes' names.
 *
 * <p>A node may run another node's layer again on other inputs, as a Keras layer called twice does
 * ({@code shared(a)}, {@code shared(b)}): it then names that node in {@code sharesWeightsOf}, has
 * no parameters of its own and is bound to the owner's. Its layer is the owner's layer.
 *
 * @param sharesWeightsOf the node whose parameters this one uses, or null for a node with its own
 */
public record Node(String name, LayerSpec layer, List<String> inputs, String sharesWeightsOf) {
  public Node {
    inputs = List.copyOf(inputs);
  }

  /** A node with parameters of its own. */
  public Node(String name, LayerSpec layer, List<String> inputs) {
    this(name, layer, inputs, null);
  }

  /** Whether this node reuses another node's parameters ({@link #sharesWeightsOf}). */
  public boolean sharesWeights() {
    return sharesWeightsOf != null;
  }
}
