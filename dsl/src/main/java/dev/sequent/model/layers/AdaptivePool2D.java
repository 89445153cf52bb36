package dev.sequent.model.layers;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;

/**
 * PyTorch {@code nn.AdaptiveAvgPool2d(output_size)} / {@code nn.AdaptiveMaxPool2d(output_size)}:
 * pools a channels-first image {@code [C, H, W]} to {@code [C, outH, outW]} whatever its size.
 * Output row {@code i} pools input rows {@code floor(i * H / outH)} up to (excluding)
 * {@code ceil((i + 1) * H / outH)} (aten's {@code start_index}/{@code end_index}), so windows
 * overlap or differ in length when {@code H} is not a multiple of {@code outH}; columns alike.
 *
 * @param outH the output height, or 0 for PyTorch's {@code None} (the input height)
 * @param outW the output width, or 0 for {@code None}
 */
public record AdaptivePool2D(Framework framework, Pool2D.Kind kind, int outH, int outW, DataFormat dataFormat)
    implements LayerSpec {

  public AdaptivePool2D {
    if (outH < 0 || outW < 0) {
      throw new ShapeException("value", "output_size must be positive (0 for None). Received: (" + outH + ", "
          + outW + ")");
    }
  }

  @Override
  public String typeName() {
    return kind == Pool2D.Kind.MAX ? AdaptivePool2DKind.TORCH_MAX : AdaptivePool2DKind.TORCH_AVG;
  }

  /** The output height for an input of height {@code h}. */
  public int height(int h) {
    return outH == 0 ? h : outH;
  }

  public int width(int w) {
    return outW == 0 ? w : outW;
  }

  /** aten {@code start_index(i, out, in)}: {@code floor(i * in / out)}. */
  public static int start(int i, int out, int in) {
    return (int) ((long) i * in / out);
  }

  /** aten {@code end_index(i, out, in)}: {@code ceil((i + 1) * in / out)}. */
  public static int end(int i, int out, int in) {
    return (int) (((long) (i + 1) * in + out - 1) / out);
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    Shape in = dataFormat.requireImage(LayerSpec.only(inputs, this));
    int c = in.dim(dataFormat.channelAxis());
    int h = in.dim(dataFormat.heightAxis());
    int w = in.dim(dataFormat.heightAxis() + 1);
    return dataFormat.imageShape(c, height(h), width(w));
  }
}
