package dev.sequent.model.kind;

import dev.sequent.model.InferredModel;
import dev.sequent.model.LayerSpec;
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

  /**
   * Whether every value of the layer's inputs is known to be {@code >= 0}: each comes from a layer
   * whose output is ({@link LayerKind#nonNegativeOutput}), possibly through layers that keep
   * non-negative values ({@link LayerKind#keepsNonNegative}). A model input is not.
   */
  public boolean inputNonNegative() {
    return layer.node().inputs().stream().allMatch(this::nonNegative);
  }

  private boolean nonNegative(String tensor) {
    if (model.spec().isInput(tensor)) {
      return false;
    }
    InferredModel.Layer producer = model.layer(tensor);
    LayerKind<LayerSpec> kind = LayerKinds.of(producer.spec());
    if (kind.nonNegativeOutput(producer.spec())) {
      return true;
    }
    return kind.keepsNonNegative(producer.spec())
        && producer.node().inputs().stream().allMatch(this::nonNegative);
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
