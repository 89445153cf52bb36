package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer normalisation over the last axes of each sample: Keras {@code LayerNormalization(axis=-1,
 * epsilon=1e-3, center=True, scale=True)}, PyTorch {@code LayerNorm(normalized_shape, eps=1e-5,
 * elementwise_affine=True, bias=True)}. Both compute {@code (x - mean) / sqrt(var + eps) * gamma +
 * beta} with the mean and the biased variance over the normalised axes, and gamma and beta shaped
 * as those axes. Unlike BatchNorm's, the epsilon cannot be folded into a weight, so each vocabulary
 * keeps its own default and a model converted between them keeps the epsilon it was declared with.
 *
 * <p>Input any shape whose last axes are the normalised ones; output the same shape. Parameters,
 * for normalised dims {@code D}: Keras {@code gamma (D)}, {@code beta (D)}; PyTorch {@code weight (D)},
 * {@code bias (D)}.
 *
 * @param axes the normalised sample axes (no batch axis; negative counts from the end); they must be
 *     the last ones, in order (Keras' other axis sets are refused)
 * @param center whether there is a beta / bias
 * @param scale whether there is a gamma / weight
 * @param declaredShape PyTorch's {@code normalized_shape}, checked against the input; empty for Keras
 */
public record LayerNorm(
    Framework framework, List<Integer> axes, double epsilon, boolean center, boolean scale,
    List<Integer> declaredShape)
    implements LayerSpec {

  public LayerNorm {
    axes = List.copyOf(axes);
    declaredShape = List.copyOf(declaredShape);
    boolean keras = framework == Framework.KERAS;
    if (!(epsilon > 0)) {
      throw new ShapeException(keras ? "epsilon" : "eps", "epsilon must be positive. Received: " + epsilon);
    }
    if (axes.isEmpty()) {
      throw new ShapeException(keras ? "axis" : "value", "LayerNorm needs at least one axis to normalise over");
    }
    for (int d : declaredShape) {
      LayerSpec.positive("value", d, "normalized_shape");
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? LayerNormKind.KERAS_CLASS : LayerNormKind.TORCH_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    normalizedShape(in);
    return in;
  }

  /** The trailing dims of {@code in} that are normalised (gamma's shape), or a {@link ShapeException}. */
  public Shape normalizedShape(Shape in) {
    String attribute = framework == Framework.KERAS ? "axis" : "value";
    int rank = in.rank();
    List<Integer> resolved = new ArrayList<>();
    for (int a : axes) {
      if (a >= rank || a < -rank) {
        throw new ShapeException(attribute, "axis " + declared(a) + " is out of range for input " + in);
      }
      resolved.add(a < 0 ? rank + a : a);
    }
    int first = rank - resolved.size();
    for (int i = 0; i < resolved.size(); i++) {
      if (resolved.get(i) != first + i) {
        throw new ShapeException(attribute, "Sequent normalises over the last axes of the input, in order; "
            + "axes " + declaredAxes() + " of input " + in + " are not its last " + resolved.size());
      }
    }
    Shape normalized = new Shape(in.dims().subList(first, rank));
    if (!declaredShape.isEmpty() && !normalized.dims().equals(declaredShape)) {
      throw new ShapeException(attribute, "normalized_shape " + declaredShape + " does not match the last "
          + declaredShape.size() + " dims of input " + in);
    }
    return normalized;
  }

  /** An axis as the user wrote it: Keras counts the batch axis. */
  private int declared(int axis) {
    return framework == Framework.KERAS && axis >= 0 ? axis + 1 : axis;
  }

  private List<Integer> declaredAxes() {
    return axes.stream().map(this::declared).toList();
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    Shape d = normalizedShape(LayerSpec.only(inputs, this));
    List<ParamSpec> params = new ArrayList<>(2);
    if (scale) {
      params.add(ParamSpec.same("gamma", "weight", d, true));
    }
    if (center) {
      params.add(ParamSpec.same("beta", "bias", d, true));
    }
    return params;
  }
}
