package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Element-wise sum of two or more tensors of the same shape: Keras {@code Add()}, the {@code a + b}
 * of a residual connection in a PyTorch {@code forward}.
 */
public record Add(Framework framework, int arity) implements LayerSpec {

  public Add {
    if (arity < 2) {
      throw new ShapeException("from", "Add needs at least two inputs. Received: " + arity);
    }
  }

  @Override
  public String typeName() {
    return AddKind.CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    if (inputs.size() != arity) {
      throw new ShapeException("from", "Add is wired to " + inputs.size() + " inputs, expected " + arity);
    }
    Shape first = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      if (!inputs.get(i).equals(first)) {
        throw new ShapeException("from", "inputs have different shapes: " + first + " and " + inputs.get(i)
            + "; Add needs equal shapes");
      }
    }
    return first;
  }
}
