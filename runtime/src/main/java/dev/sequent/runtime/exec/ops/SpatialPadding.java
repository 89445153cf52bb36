package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
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

  /** {@code x} padded by the given rows and columns of {@code value}, in either data layout. */
  static INDArray padSpatial(INDArray x, DataFormat f, int top, int bottom, int left, int right, float value) {
    int[][] pad = f == DataFormat.CHANNELS_FIRST
        ? new int[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}}
        : new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}};
    return Nd4j.pad(x, pad, org.nd4j.linalg.api.ops.impl.transforms.Pad.Mode.CONSTANT, value);
  }
}
