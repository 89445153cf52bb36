package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.GlobalPool2D;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max or mean over each channel's whole image: an ND4J reduction over the two spatial axes, or a
 * plain-Java loop (summed in double) for small inputs, where the reduction call's fixed cost
 * dominates.
 */
public final class GlobalPool2DOp implements LayerOpFactory<GlobalPool2D> {

  @Override
  public Class<GlobalPool2D> layerType() {
    return GlobalPool2D.class;
  }

  @Override
  public BoundLayer bind(GlobalPool2D g, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    boolean first = g.dataFormat() == DataFormat.CHANNELS_FIRST;
    int[] axes = first ? new int[] {2, 3} : new int[] {1, 2};
    boolean max = g.kind() == Pool2D.Kind.MAX;
    int channels = input.dim(first ? 0 : 2);
    int cells = input.dim(first ? 1 : 0) * input.dim(first ? 2 : 1);
    SmallOp small = pooled(first, channels, cells, max);
    Shape output = inferred.outputShape();
    // keepdims changes only the shape: [N, C] and [N, 1, 1, C] or [N, C, 1, 1] share one memory order.
    BoundLayer bound = new BoundLayer(in -> {
      INDArray y = max ? in.get(0).max(axes) : in.get(0).mean(axes);
      return g.keepDims() ? y.reshape('c', output.withBatch(y.size(0))) : y;
    }, small,
        BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, (long) channels * cells));
    // channels first: the same pooling channels last where the pass keeps its input that way
    return first ? bound.withChannelsLast(pooled(false, channels, cells, max), true) : bound;
  }

  /**
   * The pooling of {@code n} samples in the given layout ({@code first}: {@code (n, c, cells)}, else
   * {@code (n, cells, c)}): each channel's values in one order either way, so both layouts give the
   * same values.
   */
  private static SmallOp pooled(boolean first, int channels, int cells, boolean max) {
    return (in, n) -> {
      float[] x = in.get(0);
      float[] y = new float[n * channels];
      // channels last: a position's channels at a time, each channel's sum in the same order
      double[] acc = first ? null : new double[channels];
      for (int s = 0; s < n; s++) {
        if (!first) {
          java.util.Arrays.fill(acc, max ? Double.NEGATIVE_INFINITY : 0);
          for (int i = 0; i < cells; i++) {
            for (int c = 0, from = (s * cells + i) * channels; c < channels; c++) {
              acc[c] = max ? Math.max(acc[c], x[from + c]) : acc[c] + x[from + c];
            }
          }
          for (int c = 0; c < channels; c++) {
            y[s * channels + c] = (float) (max ? acc[c] : acc[c] / cells);
          }
          continue;
        }
        for (int c = 0; c < channels; c++) {
          double sum = max ? Double.NEGATIVE_INFINITY : 0;
          for (int i = 0; i < cells; i++) {
            float v = x[s * cells * channels + c * cells + i];
            sum = max ? Math.max(sum, v) : sum + v;
          }
          y[s * channels + c] = (float) (max ? sum : sum / cells);
        }
      }
      return y;
    };
  }
}
