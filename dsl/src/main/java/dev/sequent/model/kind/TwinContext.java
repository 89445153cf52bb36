package dev.sequent.model.kind;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;

/**
 * What a kind's twin rule knows of the layer being translated.
 *
 * @param model the whole model (for rules that look at neighbours)
 * @param layer the layer with its inferred shapes
 * @param transposed whether the model is channels-first, so that its twin's images are the
 *     transpose {@code (C,H,W) -> (H,W,C)}
 */
public record TwinContext(InferredModel model, InferredModel.Layer layer, boolean transposed) {

  /** The layer's (first) input shape. */
  public Shape input() {
    return layer.inputShapes().get(0);
  }

  /** Whether an input of the layer is an image that the twin transposes. */
  public boolean imageIn() {
    return transposed && layer.inputShapes().stream().anyMatch(s -> s.rank() == 3);
  }

  /** Whether the layer's output is an image that the twin transposes. */
  public boolean imageOut() {
    return transposed && layer.outputShape().rank() == 3;
  }

  /** Where sample axis {@code axis} (non-negative) of a {@code (C,H,W)} image is in {@code (H,W,C)}. */
  public static int twinAxis(int axis) {
    return axis == 0 ? 2 : axis - 1;
  }
}
