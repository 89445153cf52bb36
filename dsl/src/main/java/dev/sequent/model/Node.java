package dev.sequent.model;

import java.util.List;

/**
 * One named layer of a model and the names of the tensors it reads: {@value ModelSpec#INPUT} for
 * the model input, otherwise other nodes' names.
 */
public record Node(String name, LayerSpec layer, List<String> inputs) {
  public Node {
    inputs = List.copyOf(inputs);
  }
}
