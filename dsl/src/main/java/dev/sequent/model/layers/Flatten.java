package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Flattens axes into one: Keras {@code Flatten()} and PyTorch {@code Flatten()} (start_dim=1,
 * end_dim=-1) every non-batch axis; PyTorch {@code Flatten(start_dim, end_dim)} the axes from
 * {@code startDim} to {@code endDim} (counted with the batch axis 0, negative from the end, as
 * PyTorch does), the others kept: {@code Flatten(2)} makes {@code (N, C, H, W)} {@code (N, C, H*W)}.
 * Values are taken in the tensor's own memory order, so a flattened channels-last image
 * ({@code H,W,C}) and a flattened channels-first one ({@code C,H,W}) order their features
 * differently; the weight mapping accounts for that when it moves the following Dense layer's
 * weights between frameworks (for a Flatten of every axis).
 *
 * @param dataFormat the layout of the image being flattened, as declared by the model's spatial
 *     layers (null when the input is not an image)
 * @param startDim the first axis joined, the batch axis counted (1 for every non-batch axis)
 * @param endDim the last axis joined, the batch axis counted (-1: the last)
 */
public record Flatten(Framework framework, DataFormat dataFormat, int startDim, int endDim) implements LayerSpec {
  /** PyTorch's defaults, and the only Keras form: every non-batch axis. */
  public static final int START_DIM = 1;
  public static final int END_DIM = -1;

  /** A Flatten of every non-batch axis. */
  public Flatten(Framework framework, DataFormat dataFormat) {
    this(framework, dataFormat, START_DIM, END_DIM);
  }

  @Override
  public String typeName() {
    return FlattenKind.CLASS;
  }

  /** Whether it joins every non-batch axis of a sample of shape {@code in} (what Keras' Flatten does). */
  public boolean joinsAll(Shape in) {
    return axis(startDim, in) == 1 && axis(endDim, in) == in.rank();
  }

  /** A dim counted with the batch axis, negative from the end, as an index into the full tensor shape. */
  private static int axis(int dim, Shape in) {
    return dim < 0 ? dim + in.rank() + 1 : dim;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (startDim == START_DIM && endDim == END_DIM && in.rank() <= 1) {
      throw new ShapeException("input " + in + " is already flat; Flatten would do nothing "
          + "(remove it, or check the layer before it)");
    }
    int rank = in.rank() + 1; // with the batch axis, as PyTorch counts start_dim and end_dim
    int start = axis(startDim, in);
    int end = axis(endDim, in);
    if (start < 0 || start >= rank) {
      throw new ShapeException("startDim", "start_dim " + startDim + " is out of range for an input of "
          + rank + " dimensions (batch included): " + in);
    }
    if (end < 0 || end >= rank) {
      throw new ShapeException("endDim", "end_dim " + endDim + " is out of range for an input of "
          + rank + " dimensions (batch included): " + in);
    }
    if (start == 0) {
      throw new ShapeException("startDim", "start_dim 0 would join the batch axis; a model keeps its batch axis "
          + "(use 1 or more)");
    }
    if (start > end) {
      throw new ShapeException("startDim", "start_dim " + startDim + " comes after end_dim " + endDim
          + " on an input of " + rank + " dimensions (batch included)");
    }
    long size = 1;
    for (int a = start; a <= end; a++) {
      size *= in.dim(a - 1);
    }
    if (size > Integer.MAX_VALUE) {
      throw new ShapeException("flattening " + in + " gives " + size + " features, more than fit in an int");
    }
    int[] out = new int[in.rank() - (end - start)];
    int k = 0;
    for (int a = 1; a < start; a++) {
      out[k++] = in.dim(a - 1);
    }
    out[k++] = (int) size;
    for (int a = end + 1; a < rank; a++) {
      out[k++] = in.dim(a - 1);
    }
    return Shape.of(out);
  }
}
