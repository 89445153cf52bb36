package dev.sequent.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole network as declared: its input shape, its named layers in declaration order with their
 * wiring, and which node is the output. This is the single model of a network shared by the
 * annotation processor and the runtime; {@link ShapeInference} turns it into an
 * {@link InferredModel} with every shape and parameter.
 *
 * @param name the model's name (the declaring interface's simple name)
 * @param style Sequential (each layer reads the previous one) or Module (explicit wiring)
 * @param framework the vocabulary most of its layers use; decides parameter naming
 * @param inputShape the sample shape, without the batch axis
 * @param nodes layers in declaration order
 * @param output the name of the node whose output is the model's output
 */
public record ModelSpec(
    String name, Style style, Framework framework, Shape inputShape, List<Node> nodes, String output) {

  /** The name under which layers refer to the model input. */
  public static final String INPUT = "input";

  public enum Style { SEQUENTIAL, MODULE }

  public ModelSpec {
    nodes = List.copyOf(nodes);
  }

  /** A Sequential model: each layer reads the one declared before it, the last is the output. */
  public static ModelSpec sequential(String name, Framework framework, Shape inputShape, List<Named> layers) {
    List<Node> nodes = new ArrayList<>(layers.size());
    String previous = INPUT;
    for (Named layer : layers) {
      nodes.add(new Node(layer.name(), layer.layer(), List.of(previous)));
      previous = layer.name();
    }
    return new ModelSpec(name, Style.SEQUENTIAL, framework, inputShape, nodes, previous);
  }

  /** A layer with its name, for {@link #sequential}. */
  public record Named(String name, LayerSpec layer) {}

  public Node node(String nodeName) {
    for (Node n : nodes) {
      if (n.name().equals(nodeName)) {
        return n;
      }
    }
    throw new IllegalArgumentException("model " + name + " has no layer named " + nodeName);
  }
}
