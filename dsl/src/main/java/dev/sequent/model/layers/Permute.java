package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reorders the sample axes: Keras {@code Permute(dims)} ({@code keras/src/layers/reshaping/permute.py}):
 * {@code dims} is a permutation of {@code 1..rank}, 1-based because the batch axis 0 stays first;
 * output axis {@code i} is input axis {@code dims[i]}. No parameters.
 *
 * @param dims the permutation, 1-based
 */
public record Permute(Framework framework, List<Integer> dims) implements LayerSpec {

  public Permute {
    dims = List.copyOf(dims);
    List<Integer> sorted = new ArrayList<>(dims);
    java.util.Collections.sort(sorted);
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i) != i + 1) {
        throw new ShapeException("dims", "dims must be a permutation of 1.." + dims.size()
            + " (the batch axis 0 stays first). Received: " + dims);
      }
    }
    if (dims.isEmpty()) {
      throw new ShapeException("dims", "dims must name the sample axes. Received: []");
    }
  }

  @Override
  public String typeName() {
    return PermuteKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() != dims.size()) {
      throw new ShapeException("dims", "dims " + dims + " permutes " + dims.size() + " axes but input " + in + " has "
          + in.rank() + " (batch axis not counted)");
    }
    List<Integer> out = new ArrayList<>();
    for (int d : dims) {
      out.add(in.dim(d - 1));
    }
    return new Shape(out);
  }
}
