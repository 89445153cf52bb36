package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.GlobalPool1D;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.SmallOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Global pooling over steps as {@link GlobalPool2DOp} over a {@code 1 x length} image ({@link OneDimensional}). */
public final class GlobalPool1DOp implements LayerOpFactory<GlobalPool1D> {

  @Override
  public Class<GlobalPool1D> layerType() {
    return GlobalPool1D.class;
  }

  @Override
  public BoundLayer bind(GlobalPool1D g, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    if (g.masked()) {
      return masked(g, inferred);
    }
    GlobalPool2D image = new GlobalPool2D(g.framework(), g.kind(), g.dataFormat(), false);
    Shape imageInput = OneDimensional.asImage(inferred.inputShapes().get(0), g.dataFormat());
    return OneDimensional.onSequences(
        new GlobalPool2DOp().bind(image, OneDimensional.asImageLayer(inferred, image, imageInput), params, context),
        imageInput, inferred.outputShape());
  }

  /**
   * Keras' {@code GlobalAveragePooling1D} under a mask: {@code sum(x * mask) / sum(mask)} over the
   * steps. One pass in Java in both forms.
   */
  private static BoundLayer masked(GlobalPool1D g, InferredModel.Layer inferred) {
    Shape in = inferred.inputShapes().get(0);
    boolean last = g.dataFormat() == DataFormat.CHANNELS_LAST;
    int steps = in.dim(last ? 0 : 1);
    int channels = in.dim(last ? 1 : 0);
    SmallOp small = (inputs, batch) -> {
      float[] x = inputs.get(0);
      float[] mask = inputs.get(1);
      float[] y = new float[batch * channels];
      for (int b = 0; b < batch; b++) {
        double[] sum = new double[channels];
        double kept = 0;
        for (int t = 0; t < steps; t++) {
          float m = mask[b * steps + t];
          kept += m;
          for (int c = 0; c < channels; c++) {
            sum[c] += m * x[b * steps * channels + (last ? t * channels + c : c * steps + t)];
          }
        }
        for (int c = 0; c < channels; c++) {
          y[b * channels + c] = (float) (sum[c] / kept);
        }
      }
      return y;
    };
    return new BoundLayer(inputs -> {
      int n = (int) inputs.get(0).size(0);
      float[] y = small.apply(List.of(FloatArrays.copyOf(inputs.get(0)), FloatArrays.copyOf(inputs.get(1))), n);
      return FloatArrays.of(y, inferred.outputShape().withBatch(n));
    }, small, Integer.MAX_VALUE);
  }
}
