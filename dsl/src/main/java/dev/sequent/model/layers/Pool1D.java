package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * 1-D max or average pooling over a sequence: Keras {@code MaxPooling1D/AveragePooling1D(pool_size,
 * strides, padding)} on {@code [steps, channels]}, PyTorch {@code MaxPool1d/AvgPool1d(kernel_size,
 * stride, padding, ceil_mode, count_include_pad)} on {@code [channels, length]}. Strides default to
 * the pool size in both; the length follows the rules of {@link Pool2D} along one axis, padding in
 * the width of {@link Padding}.
 */
public record Pool1D(
    Framework framework,
    Pool2D.Kind kind,
    int pool,
    int stride,
    Padding padding,
    boolean ceilMode,
    boolean countIncludePad,
    DataFormat dataFormat)
    implements LayerSpec {

  public Pool1D {
    boolean keras = framework == Framework.KERAS;
    LayerSpec.positive(keras ? "poolSize" : "kernel", pool, "pool size");
    LayerSpec.positive(keras ? "strides" : "stride", stride, "stride");
    if (padding.mode() == Padding.Mode.EXPLICIT && padding.width() * 2 > pool) {
      throw new ShapeException("padding", "pad should be at most half of the kernel size, as in PyTorch. "
          + "Received: padding=" + padding.width() + " for kernel " + pool);
    }
  }

  @Override
  public String typeName() {
    if (framework == Framework.KERAS) {
      return kind == Pool2D.Kind.MAX ? Pool1DKind.KERAS_MAX : Pool1DKind.KERAS_AVG;
    }
    return kind == Pool2D.Kind.MAX ? Pool1DKind.TORCH_MAX : Pool1DKind.TORCH_AVG;
  }

  /** The same pooling as a 2-D one over a {@code 1 x length} image, which the runtime runs. */
  public Pool2D asPool2D() {
    return new Pool2D(framework, kind, 1, pool, 1, stride,
        padding.mode() == Padding.Mode.EXPLICIT ? Padding.explicit(0, padding.width()) : padding,
        ceilMode, countIncludePad, dataFormat);
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = Conv1D.requireSequence(LayerSpec.only(inputs, this), dataFormat);
    int c = in.dim(Conv1D.channelAxis(dataFormat));
    int l = in.dim(Conv1D.stepAxis(dataFormat));
    Shape image = asPool2D().outputShape(List.of(dataFormat.imageShape(c, 1, l)));
    return Conv1D.sequenceShape(dataFormat, c, image.dim(dataFormat.heightAxis() + 1));
  }
}
