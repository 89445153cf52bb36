package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Global average or max pooling over height and width: Keras {@code GlobalAveragePooling2D} /
 * {@code GlobalMaxPooling2D}. Input an image, output {@code [channels]}.
 */
public record GlobalPool2D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat) implements LayerSpec {

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
    return Shape.of(in.dim(dataFormat.channelAxis()));
  }
}
