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

  /** One layer with its input shapes, output shape and parameters. */
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

  public Shape inputShape() {
    return spec.inputShape();
  }

  public Shape outputShape() {
    return layer(spec.output()).outputShape();
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
