package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of one axis, as a PyTorch forward indexes a tensor: {@code x[:, start:end:step]} ({@code
 * aten.slice.Tensor}, and {@code narrow}, and each piece of {@code chunk}/{@code split}), or one
 * position with the axis dropped, {@code x[:, index]} ({@code aten.select.int}, and each piece of
 * {@code unbind}). Start and end follow Python's slices: negative counts from the end, both are
 * clamped to the axis ({@link Integer#MAX_VALUE} for "to the end"). No parameters.
 *
 * @param dim the axis, batch axis counted as PyTorch counts it (1 is the first sample axis; -1 the last);
 *     the batch axis itself cannot be sliced
 * @param start the first position (for a select, the index)
 * @param end the position after the last; ignored for a select
 * @param step the stride, at least 1
 * @param select whether one position is taken and the axis dropped ({@code select}) rather than kept
 */
public record Slice(Framework framework, int dim, int start, int end, int step, boolean select) implements LayerSpec {

  public Slice {
    if (dim == 0) {
      throw new ShapeException("dim", "dim 0 is the batch axis, which a model does not slice. Received: dim=0");
    }
    if (step < 1) {
      throw new ShapeException("step", "step must be at least 1 (PyTorch has no negative steps). Received: step="
          + step);
    }
  }

  /** {@code x[:, start:end:step]} along {@code dim}. */
  public static Slice range(Framework framework, int dim, int start, int end, int step) {
    return new Slice(framework, dim, start, end, step, false);
  }

  /** {@code x.select(dim, index)}. */
  public static Slice index(Framework framework, int dim, int index) {
    return new Slice(framework, dim, index, index == -1 ? Integer.MAX_VALUE : index + 1, 1, true);
  }

  @Override
  public String typeName() {
    return select ? SliceKind.TORCH_SELECT : SliceKind.TORCH_SLICE;
  }

  /** The sliced sample axis (batch axis not counted) of an input of {@code rank} sample axes. */
  public int axis(int rank) {
    int a = dim < 0 ? dim + rank : dim - 1;
    if (a < 0 || a >= rank) {
      throw new ShapeException("dim", "dim " + dim + " is outside an input of " + rank + " sample axes (dims 1.."
          + rank + " or -" + rank + "..-1)");
    }
    return a;
  }

  /** The first position taken along an axis of {@code length}. */
  public int first(int length) {
    int s = start < 0 ? Math.max(0, start + length) : Math.min(start, length);
    if (select && (start >= length || start < -length)) {
      throw new ShapeException("index", "index " + start + " is outside an axis of " + length + " positions");
    }
    return s;
  }

  /** How many positions are taken along an axis of {@code length}. */
  public int count(int length) {
    if (select) {
      first(length);
      return 1;
    }
    int s = first(length);
    int e = end < 0 ? Math.max(0, end + length) : Math.min(end, length);
    return e <= s ? 0 : (e - s + step - 1) / step;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    int a = axis(in.rank());
    int n = count(in.dim(a));
    if (n == 0) {
      throw new ShapeException("start", "the slice " + start + ":" + (end == Integer.MAX_VALUE ? "" : end) + ":"
          + step + " of dim " + dim + " of " + in + " is empty");
    }
    List<Integer> out = new ArrayList<>(in.dims());
    if (select) {
      out.remove(a);
      if (out.isEmpty()) {
        throw new ShapeException("dim", "selecting from the only sample axis of " + in + " leaves a scalar per "
            + "sample, which Sequent does not represent");
      }
    } else {
      out.set(a, n);
    }
    return new Shape(out);
  }
}
