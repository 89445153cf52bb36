package dev.sequent.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole network as declared: its inputs with their shapes, its named layers in declaration order
 * with their wiring, and which nodes are its outputs. This is the single model of a network shared
 * by the annotation processor and the runtime; {@link ShapeInference} turns it into an
 * {@link InferredModel} with every shape and parameter.
 *
 * <p>Most models have one input, named {@value #INPUT}, and one output: {@link #inputShape} and
 * {@link #output} are then all there is. A graph with several ({@link #graph}) lists them in
 * {@link #inputs} and {@link #outputs}, in the order the model takes and returns them (Keras'
 * {@code model.inputs} / {@code model.outputs}); {@link #inputShape} and {@link #output} are then
 * the first of each.
 *
 * @param name the model's name (the declaring interface's simple name)
 * @param style Sequential (each layer reads the previous one) or Module (explicit wiring)
 * @param framework the vocabulary most of its layers use; decides parameter naming
 * @param inputShape the (first) input's sample shape, without the batch axis
 * @param nodes layers in declaration order
 * @param output the name of the node whose output is the model's (first) output
 * @param inputs every input, in order; never empty (a single {@value #INPUT} when not given)
 * @param outputs every output node's name, in order; never empty ({@code output} when not given)
 */
public record ModelSpec(
    String name, Style style, Framework framework, Shape inputShape, List<Node> nodes, String output,
    List<Input> inputs, List<String> outputs) {

  /** The name under which layers refer to the input of a single-input model. */
  public static final String INPUT = "input";

  public enum Style { SEQUENTIAL, MODULE }

  /** One input of the model: the name layers read it by and its sample shape (no batch axis). */
  public record Input(String name, Shape shape) {}

  public ModelSpec {
    nodes = List.copyOf(nodes);
    inputs = inputs == null || inputs.isEmpty() ? List.of(new Input(INPUT, inputShape)) : List.copyOf(inputs);
    outputs = outputs == null || outputs.isEmpty() ? (output == null ? List.of() : List.of(output)) : List.copyOf(outputs);
    inputShape = inputs.get(0).shape();
    output = outputs.isEmpty() ? output : outputs.get(0);
  }

  /** A single-input, single-output model (its input named {@value #INPUT}). */
  public ModelSpec(String name, Style style, Framework framework, Shape inputShape, List<Node> nodes, String output) {
    this(name, style, framework, inputShape, nodes, output, List.of(), List.of());
  }

  /** A model with any number of named inputs and outputs (a Keras Functional graph). */
  public static ModelSpec graph(String name, Style style, Framework framework, List<Input> inputs, List<Node> nodes,
      List<String> outputs) {
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " needs at least one input and one output");
    }
    return new ModelSpec(name, style, framework, inputs.get(0).shape(), nodes, outputs.get(0), inputs, outputs);
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

  /** Whether {@code tensorName} names one of the model's inputs rather than a node. */
  public boolean isInput(String tensorName) {
    for (Input in : inputs) {
      if (in.name().equals(tensorName)) {
        return true;
      }
    }
    return false;
  }

  /** The input names, in order. */
  public List<String> inputNames() {
    return inputs.stream().map(Input::name).toList();
  }

  /** Whether the model has more than one input or more than one output. */
  public boolean isMultiIO() {
    return inputs.size() > 1 || outputs.size() > 1;
  }

  public Node node(String nodeName) {
    for (Node n : nodes) {
      if (n.name().equals(nodeName)) {
        return n;
      }
    }
    throw new IllegalArgumentException("model " + name + " has no layer named " + nodeName);
  }
}
