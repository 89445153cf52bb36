package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic of a computed tensor with a tensor the model holds, as a PyTorch forward writes it:
 * {@code x * self.scale}, {@code x + self.pos_embedding}, {@code self.offset - x}, where the operand
 * is an {@code nn.Parameter} or a buffer of the module ({@code register_buffer}) — a torchvision
 * ConvNeXt block's {@code layer_scale (C, 1, 1)}, a ViT's {@code pos_embedding (1, L, E)}. The tensor
 * is the layer's one parameter, under the module's own name for it, so a state_dict pairs with it
 * by name. It broadcasts against the sample as NumPy does, aligned to the last axes; axes of the
 * tensor beyond the sample's rank must be 1 (they would broadcast over the batch).
 *
 * @param operator what combines the two operands
 * @param name the tensor's name in its module ({@code scale} of {@code block.scale})
 * @param shape the tensor's shape as the module holds it
 * @param trainable whether it is a parameter (true) or a buffer
 * @param tensorFirst whether the held tensor is the left operand ({@code self.offset - x})
 */
public record TensorOperand(Framework framework, Arithmetic.Operator operator, String name, List<Integer> shape,
    boolean trainable, boolean tensorFirst) implements LayerSpec {

  public TensorOperand {
    shape = List.copyOf(shape);
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new ShapeException("name", "name must be the tensor's own name in its module, without dots. Received: "
          + name);
    }
    for (int d : shape) {
      if (d < 1) {
        throw new ShapeException("shape", "shape must have positive sizes. Received: " + shape);
      }
    }
  }

  @Override
  public String typeName() {
    return TensorOperandKind.TORCH_NAME;
  }

  /** The tensor's shape as it broadcasts against a sample of {@code rank} axes: leading 1s beyond that rank dropped. */
  public Shape operandShape(int rank) {
    List<Integer> dims = new ArrayList<>(shape);
    while (dims.size() > rank) {
      if (dims.get(0) != 1) {
        throw new ShapeException("shape", "the tensor " + name + " " + shape + " has more axes than the sample ("
            + rank + ") that are not 1: it would broadcast over the batch axis");
      }
      dims.remove(0);
    }
    return new Shape(dims);
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    Shape c = operandShape(in.rank());
    List<Integer> out = new ArrayList<>(in.dims());
    for (int i = 1; i <= c.rank(); i++) {
      int a = in.dim(in.rank() - i);
      int b = c.dim(c.rank() - i);
      if (a != b && a != 1 && b != 1) {
        throw new ShapeException("shape", "the tensor " + name + " " + shape + " does not broadcast against the input "
            + in + " (batch axis not counted): axis " + (in.rank() - i) + " is " + a + " against " + b);
      }
      out.set(in.rank() - i, Math.max(a, b));
    }
    return new Shape(out);
  }

  @Override
  public List<ParamSpec> params(List<Shape> inputs) {
    return List.of(ParamSpec.same(name, name, new Shape(shape), trainable));
  }

  /** {@code x op t} or {@code t op x} in float32. */
  public float apply(float x, float t) {
    return tensorFirst ? operator.apply(t, x) : operator.apply(x, t);
  }
}
