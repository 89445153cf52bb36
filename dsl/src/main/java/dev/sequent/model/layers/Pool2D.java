package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * 2-D max or average pooling: Keras {@code MaxPooling2D/AveragePooling2D(pool_size, strides,
 * padding)}, PyTorch {@code MaxPool2d/AvgPool2d(kernel_size, stride, padding, ceil_mode,
 * count_include_pad)}. Strides default to the pool size in both.
 *
 * <p>Averages over "same" padding (Keras) exclude the padded cells; PyTorch's explicit padding
 * counts them when {@code countIncludePad} is true (its default).
 */
public record Pool2D(
    Framework framework,
    Kind kind,
    int poolH,
    int poolW,
    int strideH,
    int strideW,
    Padding padding,
    boolean ceilMode,
    boolean countIncludePad,
    DataFormat dataFormat)
    implements LayerSpec {

  public enum Kind { MAX, AVG }

  public Pool2D {
    boolean keras = framework == Framework.KERAS;
    LayerSpec.positive(keras ? "poolSize" : "kernel", Math.min(poolH, poolW), "pool size");
    LayerSpec.positive(keras ? "strides" : "stride", Math.min(strideH, strideW), "stride");
    if (padding.mode() == Padding.Mode.EXPLICIT && (padding.height() * 2 > poolH || padding.width() * 2 > poolW)) {
      throw new ShapeException("padding", "pad should be at most half of the kernel size, as in PyTorch. "
          + "Received: padding=" + padding + " for kernel (" + poolH + ", " + poolW + ")");
    }
  }

  @Override
  public String typeName() {
    if (framework == Framework.KERAS) {
      return kind == Kind.MAX ? Pool2DKind.KERAS_MAX : Pool2DKind.KERAS_AVG;
    }
    return kind == Kind.MAX ? Pool2DKind.TORCH_MAX : Pool2DKind.TORCH_AVG;
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = dataFormat.requireImage(LayerSpec.only(inputs, this));
    int c = in.dim(dataFormat.channelAxis());
    int h = in.dim(dataFormat.heightAxis());
    int w = in.dim(dataFormat.heightAxis() + 1);
    int oh = padding.outputLength(h, poolH, strideH, 1, padding.height(), ceilMode);
    int ow = padding.outputLength(w, poolW, strideW, 1, padding.width(), ceilMode);
    if (ceilMode && padding.mode() != Padding.Mode.SAME) {
      // PyTorch drops a last window that would start entirely in the right padding.
      if ((oh - 1) * strideH >= h + padding.height()) {
        oh--;
      }
      if ((ow - 1) * strideW >= w + padding.width()) {
        ow--;
      }
    }
    if (oh <= 0 || ow <= 0) {
      throw new ShapeException(framework == Framework.KERAS ? "poolSize" : "kernel",
          "pool " + poolH + "x" + poolW + " is larger than the input " + h + "x" + w);
    }
    return dataFormat.imageShape(c, oh, ow);
  }
}
