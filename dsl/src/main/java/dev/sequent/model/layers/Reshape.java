package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A new sample shape for the same values in the same row-major order: Keras
 * {@code Reshape(target_shape)} ({@code keras/src/layers/reshaping/reshape.py}; the batch axis is
 * kept, one dimension may be {@code -1} and is then what the element count leaves). No parameters.
 *
 * <p>Values keep their memory order, so reshaping an image is layout-sensitive: the same Reshape of
 * a {@code (C,H,W)} and of an {@code (H,W,C)} tensor groups different values. Its Keras twin is
 * therefore refused where a channels-first image goes in or comes out.
 *
 * @param targetShape the sample shape, with at most one {@code -1}
 */
public record Reshape(Framework framework, List<Integer> targetShape) implements LayerSpec {

  public Reshape {
    targetShape = List.copyOf(targetShape);
    if (targetShape.isEmpty()) {
      throw new ShapeException("targetShape", "target_shape must name at least one dimension. Received: ()");
    }
    int unknown = 0;
    for (int d : targetShape) {
      if (d == -1) {
        unknown++;
      } else if (d <= 0) {
        throw new ShapeException("targetShape", "target_shape dimensions must be positive or one -1. Received: "
            + new Shape(targetShape));
      }
    }
    if (unknown > 1) {
      throw new ShapeException("targetShape", "target_shape may have one -1, which the element count decides. "
          + "Received: " + new Shape(targetShape));
    }
  }

  @Override
  public String typeName() {
    return ReshapeKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    return resolve(LayerSpec.only(inputs, this), targetShape, "targetShape", "target_shape");
  }

  /**
   * {@code target} with its {@code -1} resolved for an input of {@code in}'s element count.
   *
   * @throws ShapeException naming {@code attribute} and both counts when they cannot match
   */
  static Shape resolve(Shape in, List<Integer> target, String attribute, String spelled) {
    long known = 1;
    int unknownAt = -1;
    for (int i = 0; i < target.size(); i++) {
      if (target.get(i) == -1) {
        unknownAt = i;
      } else {
        known *= target.get(i);
      }
    }
    long count = in.size();
    List<Integer> out = new ArrayList<>(target);
    if (unknownAt >= 0) {
      if (count % known != 0) {
        throw new ShapeException(attribute, "input " + in + " holds " + count + " values, which " + spelled + " "
            + new Shape(target) + " cannot hold: " + count + " is not a multiple of " + known);
      }
      out.set(unknownAt, (int) (count / known));
    } else if (known != count) {
      throw new ShapeException(attribute, spelled + " " + new Shape(target) + " holds " + known
          + " values but input " + in + " holds " + count);
    }
    return new Shape(out);
  }
}
