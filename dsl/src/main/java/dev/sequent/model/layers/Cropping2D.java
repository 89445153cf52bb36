package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Cropping of an image's height and width: Keras {@code Cropping2D(cropping, data_format)} with
 * {@code cropping = ((top, bottom), (left, right))}. PyTorch has no such module. No parameters.
 * Cropping as much as the image or more is a shape error naming {@code cropping}, as in Keras.
 */
public record Cropping2D(Framework framework, int top, int bottom, int left, int right, DataFormat dataFormat)
    implements LayerSpec {

  public Cropping2D {
    if (Math.min(Math.min(top, bottom), Math.min(left, right)) < 0) {
      throw new ShapeException("cropping", "cropping must not be negative. Received: top=" + top + ", bottom="
          + bottom + ", left=" + left + ", right=" + right);
    }
  }

  @Override
  public String typeName() {
    return Cropping2DKind.KERAS_CLASS;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = dataFormat.requireImage(LayerSpec.only(inputs, this));
    int h = in.dim(dataFormat.heightAxis());
    int w = in.dim(dataFormat.heightAxis() + 1);
    if (top + bottom >= h || left + right >= w) {
      throw new ShapeException("cropping", "cropping ((" + top + ", " + bottom + "), (" + left + ", " + right
          + ")) leaves nothing of the " + h + "x" + w + " input " + in + "; expected top + bottom < " + h
          + " and left + right < " + w);
    }
    return dataFormat.imageShape(in.dim(dataFormat.channelAxis()), h - top - bottom, w - left - right);
  }
}
