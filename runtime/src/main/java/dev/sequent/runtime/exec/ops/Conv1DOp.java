package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Padding;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Conv1D;
import dev.sequent.model.layers.Conv2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-D convolution as {@link Conv2DOp} over a {@code 1 x length} image ({@link OneDimensional}):
 * kernels {@code (k, in, out)} / {@code (out, in, k)} are the 2-D kernels {@code (1, k, in, out)} /
 * {@code (out, in, 1, k)} without moving a value. Keras' causal padding, which no 2-D padding mode
 * expresses, is added here as {@code d(k-1)} zero steps before the data, then convolved valid.
 */
public final class Conv1DOp implements LayerOpFactory<Conv1D> {

  @Override
  public Class<Conv1D> layerType() {
    return Conv1D.class;
  }

  @Override
  public BoundLayer bind(Conv1D c, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    DataFormat f = c.dataFormat();
    Shape input = inferred.inputShapes().get(0);
    int pad = c.causalPad();
    Shape padded = input.with(Conv1D.stepAxis(f), input.dim(Conv1D.stepAxis(f)) + pad);
    Padding padding = c.padding().mode() == Padding.Mode.EXPLICIT ? Padding.explicit(0, c.padding().width())
        : c.padding();
    Conv2D image = new Conv2D(c.framework(), c.filters(), 1, c.kernel(), 1, c.stride(), padding, 1, c.dilation(),
        c.useBias(), c.activation(), f, c.declaredIn());
    Shape imageInput = OneDimensional.asImage(padded, f);
    INDArray kernel = params.get(0);
    INDArray imageKernel = c.framework() == Framework.KERAS
        ? kernel.reshape('c', 1, kernel.size(0), kernel.size(1), kernel.size(2))
        : kernel.reshape('c', kernel.size(0), kernel.size(1), 1, kernel.size(2));
    List<INDArray> imageParams = c.useBias() ? List.of(imageKernel, params.get(1)) : List.of(imageKernel);
    BoundLayer conv = OneDimensional.onSequences(
        new Conv2DOp().bind(image, OneDimensional.asImageLayer(inferred, image, imageInput), imageParams, context),
        imageInput, inferred.outputShape());
    if (pad == 0) {
      return conv;
    }
    int steps = input.dim(Conv1D.stepAxis(f));
    int channels = input.dim(Conv1D.channelAxis(f));
    int[][] amounts = f == DataFormat.CHANNELS_FIRST ? new int[][] {{0, 0}, {0, 0}, {pad, 0}}
        : new int[][] {{0, 0}, {pad, 0}, {0, 0}};
    LayerOp nd4j = in -> conv.nd4j().apply(List.of(
        Nd4j.pad(in.get(0), amounts, org.nd4j.linalg.api.ops.impl.transforms.Pad.Mode.CONSTANT, 0f)));
    SmallOp java = conv.java() == null ? null
        : (in, n) -> conv.java().apply(List.of(padBefore(in.get(0), n, steps, channels, pad, f)), n);
    return java == null ? BoundLayer.nd4jOnly(nd4j) : new BoundLayer(nd4j, java, conv.javaMaxBatch());
  }

  /** {@code pad} zero steps before each sample's data. */
  private static float[] padBefore(float[] x, int n, int steps, int channels, int pad, DataFormat f) {
    int longer = steps + pad;
    float[] y = new float[n * longer * channels];
    for (int s = 0; s < n; s++) {
      if (f == DataFormat.CHANNELS_LAST) {
        System.arraycopy(x, s * steps * channels, y, (s * longer + pad) * channels, steps * channels);
      } else {
        for (int ch = 0; ch < channels; ch++) {
          System.arraycopy(x, (s * channels + ch) * steps, y, (s * channels + ch) * longer + pad, steps);
        }
      }
    }
    return y;
  }
}
