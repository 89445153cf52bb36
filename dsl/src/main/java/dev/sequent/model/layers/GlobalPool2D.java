package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * Global average or max pooling over height and width: Keras {@code GlobalAveragePooling2D} /
 * {@code GlobalMaxPooling2D}, PyTorch {@code AdaptiveAvgPool2d(1)} / {@code AdaptiveMaxPool2d(1)}.
 * Input an image, output {@code [channels]}, or with {@code keepDims} (Keras' {@code keepdims=True},
 * always so in PyTorch) the image shape with height and width 1.
 */
public record GlobalPool2D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat, boolean keepDims)
    implements LayerSpec {

  /** Without {@code keepDims}: Keras' default. */
  public GlobalPool2D(Framework framework, Pool2D.Kind kind, DataFormat dataFormat) {
    this(framework, kind, dataFormat, false);
  }

  @Override
  public String typeName() {
    if (framework == Framework.TORCH && keepDims) {
      return kind == Pool2D.Kind.MAX ? GlobalPool2DKind.TORCH_MAX : GlobalPool2DKind.TORCH_AVG;
    }
    return kind == Pool2D.Kind.MAX ? GlobalPool2DKind.KERAS_MAX : GlobalPool2DKind.KERAS_AVG;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = LayerSpec.only(inputs, this);
    if (in.rank() != 3) {
      throw new ShapeException("expected a rank-3 image but input is " + in);
    }
    int channels = in.dim(dataFormat.channelAxis());
    if (!keepDims) {
      return Shape.of(channels);
    }
    return dataFormat == DataFormat.CHANNELS_FIRST ? Shape.of(channels, 1, 1) : Shape.of(1, 1, channels);
  }
}
