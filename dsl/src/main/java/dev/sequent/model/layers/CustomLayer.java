package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A user-written layer. Its shape rule and parameter shapes are {@link ShapeRule}s so the
 * processor can check what follows it at compile time; its forward pass is user Java code
 * ({@code implClass}) that the runtime instantiates.
 *
 * @param typeName the class name shown in summaries (the implementing class' simple name)
 * @param implClass fully qualified name of the class computing the forward pass
 * @param outputRule the output shape as a rule over the input shape
 * @param params the layer's own tensors, by name, with shapes as rules over the input shape
 */
public record CustomLayer(
    Framework framework, String typeName, String implClass, ShapeRule outputRule, List<Param> params)
    implements LayerSpec {

  /** One tensor of a custom layer; the name is the same in both frameworks' files. */
  public record Param(String name, ShapeRule shape, boolean trainable) {}

  public CustomLayer {
    params = List.copyOf(params);
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    for (Param p : params) {
      paramShape(p, in);
    }
    try {
      return outputRule.apply(in);
    } catch (ShapeException e) {
      throw new ShapeException("output", "output " + e.getMessage());
    }
  }

  private static Shape paramShape(Param p, Shape in) {
    try {
      return p.shape().apply(in);
    } catch (ShapeException e) {
      throw new ShapeException("params", "parameter " + p.name() + ": " + e.getMessage());
    }
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    List<ParamSpec> specs = new ArrayList<>(params.size());
    for (Param p : params) {
      specs.add(ParamSpec.same(p.name(), p.name(), paramShape(p, in), p.trainable()));
    }
    return specs;
  }
}
