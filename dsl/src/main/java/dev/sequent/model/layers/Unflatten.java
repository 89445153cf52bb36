package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one axis into several: PyTorch {@code nn.Unflatten(dim, unflattened_size)}
 * ({@code torch/nn/modules/flatten.py}, {@code input.unflatten(dim, sizes)}; {@code dim} counts
 * the batch axis, one size may be {@code -1}). Values keep their row-major order. No parameters.
 *
 * @param dim the axis to split, batch axis 0, negative from the end
 * @param sizes what it becomes, at most one {@code -1}
 */
public record Unflatten(Framework framework, int dim, List<Integer> sizes) implements LayerSpec {

  public Unflatten {
    sizes = List.copyOf(sizes);
    if (dim == 0) {
      throw new ShapeException("dim", "dim=0 is the batch axis, which Unflatten cannot split in a model of samples");
    }
    try {
      new Reshape(framework, sizes); // the same rules as a target shape
    } catch (ShapeException e) {
      throw new ShapeException("sizes", e.getMessage().replace("target_shape", "unflattened_size"));
    }
  }

  @Override
  public String typeName() {
    return UnflattenKind.TORCH_CLASS;
  }

  /** The split axis in a sample shape of {@code rank}. */
  public int sampleAxis(int rank) {
    int full = dim < 0 ? dim + rank + 1 : dim;
    if (full <= 0 || full > rank) {
      throw new ShapeException("dim", "dim=" + dim + " is out of range for an input of rank " + (rank + 1)
          + " (batch included): expected 1 to " + rank + " or -1 to " + -rank);
    }
    return full - 1;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    int at = sampleAxis(in.rank());
    Shape split = Reshape.resolve(Shape.of(in.dim(at)), sizes, "sizes", "unflattened_size");
    List<Integer> out = new ArrayList<>(in.dims().subList(0, at));
    out.addAll(split.dims());
    out.addAll(in.dims().subList(at + 1, in.rank()));
    return new Shape(out);
  }
}
