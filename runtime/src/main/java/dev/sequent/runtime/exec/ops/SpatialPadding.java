package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Explicit padding of an image batch's height and width, shared by the convolution and pooling
 * ops: ND4J pads symmetrically, so the asymmetric cases (Keras {@code "same"} with the extra
 * row/column after the data, PyTorch's counted average padding) are padded here first and the
 * window op then runs without padding.
 */
final class SpatialPadding {
  private SpatialPadding() {}

  /** Rows before and after, columns before and after, that a window op pads an image with. */
  record Margins(int top, int bottom, int left, int right) {
    /** The margins {@code padding} gives a {@code kh x kw} window (stride, dilation) on {@code input}. */
    static Margins of(Padding padding, Shape input, DataFormat f, int kh, int kw, int sh, int sw, int dh, int dw) {
      int h = input.dim(f.heightAxis());
      int w = input.dim(f.heightAxis() + 1);
      return new Margins(padding.before(h, kh, sh, dh, padding.height()), padding.after(h, kh, sh, dh, padding.height()),
          padding.before(w, kw, sw, dw, padding.width()), padding.after(w, kw, sw, dw, padding.width()));
    }

    /** Whether ND4J's own (symmetric) padding can do it. */
    boolean symmetric() {
      return top == bottom && left == right;
    }
  }

  /** {@code x} padded by the given rows and columns of {@code value}, in either data layout. */
  static INDArray padSpatial(INDArray x, DataFormat f, int top, int bottom, int left, int right, float value) {
    int[][] pad = f == DataFormat.CHANNELS_FIRST
        ? new int[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}}
        : new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}};
    return Nd4j.pad(x, pad, org.nd4j.linalg.api.ops.impl.transforms.Pad.Mode.CONSTANT, value);
  }
}
