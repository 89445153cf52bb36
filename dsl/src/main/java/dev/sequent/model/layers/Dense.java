package dev.sequent.model.layers;

import dev.sequent.model.Activation;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected layer: Keras {@code Dense(units, activation, use_bias)}, PyTorch
 * {@code Linear(in_features, out_features, bias)}. Applies to the last axis of an input of any rank.
 *
 * <p>Input {@code [..., in]}, output {@code [..., units]}. Parameters: Keras {@code kernel (in, units)},
 * PyTorch {@code weight (units, in)}; {@code bias (units)}.
 *
 * @param declaredIn the input features the user stated (PyTorch {@code in_features}), or 0 to infer
 */
public record Dense(Framework framework, int units, int declaredIn, boolean useBias, Activation activation)
    implements LayerSpec {

  public Dense {
    LayerSpec.positive(framework == Framework.KERAS ? "units" : "out", units, "the number of output features");
    if (declaredIn < 0) {
      throw new ShapeException("in", "in_features must be positive. Received: in=" + declaredIn);
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? DenseKind.KERAS_CLASS : DenseKind.TORCH_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() == 0) {
      throw new ShapeException("input is a scalar; " + typeName() + " needs at least one feature axis");
    }
    if (declaredIn > 0 && in.last() != declaredIn) {
      throw new ShapeException("in", "input has " + in.last() + " features, expected " + declaredIn);
    }
    activation.checkAxis(in.with(-1, units));
    return in.with(-1, units);
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    int in = LayerSpec.only(inputs, this).last();
    List<ParamSpec> params = new ArrayList<>(2);
    params.add(new ParamSpec("kernel", "weight", Shape.of(in, units), Shape.of(units, in), true,
        ParamSpec.Layout.DENSE_TRANSPOSED));
    if (useBias) {
      params.add(ParamSpec.same("bias", "bias", Shape.of(units), true));
    }
    return params;
  }
}
