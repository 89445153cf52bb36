package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Zero padding of an image's height and width: Keras {@code ZeroPadding2D(padding, data_format)}
 * ({@code ((top, bottom), (left, right))}), PyTorch {@code nn.ZeroPad2d(padding)} (
 * {@code (left, right, top, bottom)}). The record keeps the four amounts by side, whichever order
 * the framework writes them in. No parameters.
 */
public record ZeroPad2D(Framework framework, int top, int bottom, int left, int right, DataFormat dataFormat)
    implements LayerSpec {

  public ZeroPad2D {
    String attribute = framework == Framework.KERAS ? "padding" : "value";
    if (Math.min(Math.min(top, bottom), Math.min(left, right)) < 0) {
      throw new ShapeException(attribute, "padding must not be negative. Received: top=" + top + ", bottom=" + bottom
          + ", left=" + left + ", right=" + right);
    }
  }

  @Override
  public String typeName() {
    return framework == Framework.KERAS ? ZeroPad2DKind.KERAS_CLASS : ZeroPad2DKind.TORCH_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = dataFormat.requireImage(LayerSpec.only(inputs, this));
    return dataFormat.imageShape(in.dim(dataFormat.channelAxis()), in.dim(dataFormat.heightAxis()) + top + bottom,
        in.dim(dataFormat.heightAxis() + 1) + left + right);
  }
}
