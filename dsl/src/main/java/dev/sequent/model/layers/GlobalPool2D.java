package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Global average or max pooling over height and width: Keras {@code GlobalAveragePooling2D} /
 * {@code GlobalMaxPooling2D(data_format, keepdims)}. Input an image, output {@code [channels]}, or
 * with {@code keepDims} the image shape with height and width 1.
 */
public record GlobalPool2D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat, boolean keepDims)
    implements LayerSpec {

  /** Without keepdims, Keras' default. */
  public GlobalPool2D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat) {
    this(framework, kind, dataFormat, false);
  }

  @Override
  public String typeName() {
    return kind == Pool2D.Kind.MAX ? GlobalPool2DKind.KERAS_MAX : GlobalPool2DKind.KERAS_AVG;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() != 3) {
      throw new ShapeException("expected a rank-3 image but input is " + in);
    }
    int c = in.dim(dataFormat.channelAxis());
    return keepDims ? dataFormat.imageShape(c, 1, 1) : Shape.of(c);
  }
}
