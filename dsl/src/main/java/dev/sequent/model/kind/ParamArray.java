package dev.sequent.model.kind;

import dev.sequent.model.Shape;

/**
 * One parameter's values as a framework lays it out: its shape and its elements in row-major
 * (C) order. The form in which a kind converts a layer's tensors between frameworks
 * ({@link LayerKind#convertParams}); {@code dsl} has no tensor library, and the runtime copies its
 * arrays in and out.
 */
public record ParamArray(Shape shape, float[] data) {

  public ParamArray {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException("a " + shape + " parameter has " + shape.size() + " values, not "
          + data.length);
    }
  }

  public static ParamArray zeros(Shape shape) {
    return new ParamArray(shape, new float[(int) shape.size()]);
  }
}
