package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * An element-wise merge of several tensors: Keras {@code Add}, {@code Subtract}, {@code Multiply},
 * {@code Average}, {@code Maximum}, {@code Minimum} ({@code keras/src/layers/merging/}); in a
 * PyTorch {@code forward}, {@code a + b}, {@code a - b}, {@code a * b}, {@code torch.maximum}, ...
 * No parameters.
 *
 * <p>Shapes broadcast as Keras' {@code Merge._compute_elemwise_op_output_shape} does, which is
 * NumPy's rule on the sample shapes: aligned at the last axis, a dimension of 1 stretches, other
 * dimensions must be equal, and a shorter shape gains leading axes (Keras inserts them after the
 * batch axis, {@code expand_dims(x, axis=1)}). So a squeeze-excite scale {@code [1,1,c]} multiplies
 * an image {@code [h,w,c]}.
 *
 * @param arity how many inputs it is wired to
 */
public record ElementwiseMerge(Framework framework, MergeOperator operator, int arity) implements LayerSpec {

  public ElementwiseMerge {
    if (arity < operator.minInputs() || arity > operator.maxInputs()) {
      throw new ShapeException("from", operator.kerasClass() + " takes "
          + (operator.minInputs() == operator.maxInputs() ? "exactly " + operator.minInputs()
              : "at least " + operator.minInputs()) + " input(s). Received: " + arity);
    }
  }

  /** The residual sum {@code @Add(from = ...)}. */
  public static ElementwiseMerge add(Framework framework, int arity) {
    return new ElementwiseMerge(framework, MergeOperator.ADD, arity);
  }

  @Override
  public String typeName() {
    return framework == Framework.TORCH && operator.torchName() != null ? operator.torchName() : operator.kerasClass();
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    if (inputs.size() != arity) {
      throw new ShapeException("from", typeName() + " is wired to " + inputs.size() + " inputs, expected " + arity);
    }
    Shape out = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      out = broadcast(out, inputs.get(i), typeName());
    }
    return out;
  }

  /**
   * The broadcast of two sample shapes (Keras' {@code _compute_elemwise_op_output_shape}).
   *
   * @throws ShapeException naming both shapes when an aligned pair differs and neither is 1
   */
  public static Shape broadcast(Shape a, Shape b, String layer) {
    Shape longer = a.rank() >= b.rank() ? a : b;
    Shape shorter = longer == a ? b : a;
    int lead = longer.rank() - shorter.rank();
    List<Integer> out = new ArrayList<>(longer.dims().subList(0, lead));
    for (int i = 0; i < shorter.rank(); i++) {
      int x = longer.dim(lead + i);
      int y = shorter.dim(i);
      if (x != y && x != 1 && y != 1) {
        throw new ShapeException("from", "inputs have different shapes: " + a + " and " + b + ", which do not "
            + "broadcast (axis " + (lead + i + 1) + ", batch axis 0, is " + x + " and " + y + "); " + layer
            + " needs equal shapes or dimensions of 1");
      }
      out.add(x == 1 ? y : x);
    }
    return new Shape(out);
  }

  /** Whether every input has the output's shape (no broadcasting needed). */
  public static boolean sameShapes(List<Shape> inputs, Shape output) {
    return inputs.stream().allMatch(output::equals);
  }
}
