package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Joins tensors along one axis: Keras {@code Concatenate(axis=-1)} ({@code
 * keras/src/layers/merging/concatenate.py}), PyTorch {@code torch.cat(tensors, dim)} in a forward.
 * Both count the batch axis: Keras' channels-last {@code axis=-1} is the channel axis of
 * {@code (N,H,W,C)}, PyTorch's {@code dim=1} that of {@code (N,C,H,W)}. No parameters.
 *
 * <p>Shape rule, as {@code ops.concatenate} needs it: every input of one rank, equal in every axis
 * but the concatenation axis; the output's concatenation axis is the sum of the inputs'. The batch
 * axis itself cannot be joined (a sample shape has none).
 *
 * @param axis the axis as the declaring framework counts it (batch axis 0; negative from the end)
 * @param arity how many inputs it is wired to
 */
public record Concatenate(Framework framework, int axis, int arity) implements LayerSpec {

  public Concatenate {
    if (arity < 1) {
      throw new ShapeException("from", typeName(framework) + " needs at least one input. Received: " + arity);
    }
    if (axis == 0) {
      throw new ShapeException(attribute(framework), attribute(framework) + "=0 is the batch axis, which "
          + typeName(framework) + " cannot join in a model of samples; the first sample axis is 1");
    }
  }

  private static String typeName(Framework framework) {
    return framework == Framework.KERAS ? ConcatenateKind.KERAS_CLASS : ConcatenateKind.TORCH_NAME;
  }

  /** The attribute naming the axis in the declaring vocabulary: {@code axis} or {@code dim}. */
  public static String attribute(Framework framework) {
    return framework == Framework.KERAS ? "axis" : "dim";
  }

  @Override
  public String typeName() {
    return typeName(framework);
  }

  /**
   * The concatenation axis in a sample shape of {@code rank} (no batch axis).
   *
   * @throws ShapeException naming the axis attribute when it is outside the batched rank or is the batch axis
   */
  public int sampleAxis(int rank) {
    int full = axis < 0 ? axis + rank + 1 : axis;
    if (full < 0 || full > rank) {
      throw new ShapeException(attribute(framework), attribute(framework) + "=" + axis + " is out of range for inputs of "
          + "rank " + (rank + 1) + " (batch included): expected " + -(rank + 1) + " to " + rank);
    }
    if (full == 0) {
      throw new ShapeException(attribute(framework), attribute(framework) + "=" + axis + " is the batch axis of inputs of "
          + "rank " + (rank + 1) + ", which " + typeName() + " cannot join");
    }
    return full - 1;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    if (inputs.size() != arity) {
      throw new ShapeException("from", typeName() + " is wired to " + inputs.size() + " inputs, expected " + arity);
    }
    Shape first = inputs.get(0);
    int at = sampleAxis(first.rank());
    int total = 0;
    for (Shape s : inputs) {
      if (s.rank() != first.rank()) {
        throw new ShapeException("from", "inputs have different ranks: " + first + " and " + s + "; " + typeName()
            + " joins tensors of one rank");
      }
      for (int i = 0; i < s.rank(); i++) {
        if (i != at && s.dim(i) != first.dim(i)) {
          throw new ShapeException("from", "inputs " + first + " and " + s + " differ on axis " + (i + 1)
              + " (batch axis 0), not only on the concatenation axis " + attribute(framework) + "=" + axis
              + " (axis " + (at + 1) + "); " + typeName() + " needs matching shapes except for that axis");
        }
      }
      total += s.dim(at);
    }
    return first.with(at, total);
  }
}
