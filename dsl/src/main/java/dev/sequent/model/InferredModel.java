package dev.sequent.model;

import java.util.List;

/**
 * A model whose every shape and parameter is known: the result of {@link ShapeInference}.
 *
 * @param spec the declared model
 * @param nodes the layers in execution (topological) order, each with its shapes and parameters
 */
public record InferredModel(ModelSpec spec, List<Layer> nodes) {

  public InferredModel {
    nodes = List.copyOf(nodes);
  }

  /**
   * One layer with its input shapes, output shape and parameters. A node that shares another's
   * weights ({@link Node#sharesWeights}) lists no parameters: they are counted, named, stored and
   * loaded once, with their owner.
   */
  public record Layer(Node node, List<Shape> inputShapes, Shape outputShape, List<ParamSpec> params) {
    public Layer {
      inputShapes = List.copyOf(inputShapes);
      params = List.copyOf(params);
    }

    public String name() {
      return node.name();
    }

    public LayerSpec spec() {
      return node.layer();
    }

    public long paramCount() {
      return params.stream().mapToLong(ParamSpec::count).sum();
    }

    public long trainableCount() {
      return params.stream().filter(ParamSpec::trainable).mapToLong(ParamSpec::count).sum();
    }

    public long multAdds() {
      return node.layer().multAdds(inputShapes, outputShape);
    }
  }

  /** The (first) input's sample shape. */
  public Shape inputShape() {
    return spec.inputShape();
  }

  /** The (first) output's sample shape. */
  public Shape outputShape() {
    return layer(spec.output()).outputShape();
  }

  /** Every input's sample shape, in {@link ModelSpec#inputs} order. */
  public List<Shape> inputShapes() {
    return spec.inputs().stream().map(ModelSpec.Input::shape).toList();
  }

  /** Every output's sample shape, in {@link ModelSpec#outputs} order. */
  public List<Shape> outputShapes() {
    return spec.outputs().stream().map(o -> layer(o).outputShape()).toList();
  }

  /** The sample shape of a tensor: a model input's, or a layer's output. */
  public Shape shapeOf(String tensorName) {
    for (ModelSpec.Input in : spec.inputs()) {
      if (in.name().equals(tensorName)) {
        return in.shape();
      }
    }
    return layer(tensorName).outputShape();
  }

  /**
   * The layer whose parameters {@code layer} runs with: itself, or the node it shares weights with
   * ({@link Node#sharesWeightsOf}).
   */
  public Layer weightOwner(Layer layer) {
    return layer.node().sharesWeights() ? layer(layer.node().sharesWeightsOf()) : layer;
  }

  public Layer layer(String name) {
    for (Layer l : nodes) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException("model " + spec.name() + " has no layer named " + name);
  }

  /** All parameters and statistics, as Keras counts them. */
  public long totalParams() {
    return nodes.stream().mapToLong(Layer::paramCount).sum();
  }

  public long trainableParams() {
    return nodes.stream().mapToLong(Layer::trainableCount).sum();
  }

  /** Keras' non-trainable weights: BatchNorm moving statistics. PyTorch keeps these as buffers. */
  public long nonTrainableParams() {
    return totalParams() - trainableParams();
  }

  /** Mult-adds for one sample, as torchinfo counts them. */
  public long multAdds() {
    return nodes.stream().mapToLong(Layer::multAdds).sum();
  }
}
