package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Flattens every non-batch axis into one: Keras {@code Flatten()}, PyTorch {@code Flatten()}
 * (start_dim=1, end_dim=-1). Values are taken in the tensor's own memory order, so a flattened
 * channels-last image ({@code H,W,C}) and a flattened channels-first one ({@code C,H,W}) order
 * their features differently; the weight mapping accounts for that when it moves the following
 * Dense layer's weights between frameworks.
 *
 * @param dataFormat the layout of the image being flattened, as declared by the model's spatial
 *     layers (null when the input is not an image)
 */
public record Flatten(Framework framework, DataFormat dataFormat) implements LayerSpec {

  @Override
  public String typeName() {
    return FlattenKind.CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() <= 1) {
      throw new ShapeException("input " + in + " is already flat; Flatten would do nothing "
          + "(remove it, or check the layer before it)");
    }
    long size = in.size();
    if (size > Integer.MAX_VALUE) {
      throw new ShapeException("flattening " + in + " gives " + size + " features, more than fit in an int");
    }
    return Shape.of((int) size);
  }
}
