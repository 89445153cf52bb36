package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.AdaptivePool2D;
import dev.sequent.model.layers.Pool2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adaptive pooling with aten's window bounds ({@link AdaptivePool2D#start}/{@link AdaptivePool2D#end}).
 * Output 1x1 (torchvision's heads) is one ND4J reduction over the spatial axes for large batches;
 * other sizes, whose windows differ in length and no ND4J pooling expresses, run the plain-Java
 * loop on both paths (a reduction that reads each input cell about once, summed in float as aten does).
 */
public final class AdaptivePool2DOp implements LayerOpFactory<AdaptivePool2D> {

  @Override
  public Class<AdaptivePool2D> layerType() {
    return AdaptivePool2D.class;
  }

  @Override
  public BoundLayer bind(AdaptivePool2D p, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = p.dataFormat();
    boolean first = f == DataFormat.CHANNELS_FIRST;
    int c = input.dim(f.channelAxis());
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    int oh = output.dim(f.heightAxis());
    int ow = output.dim(f.heightAxis() + 1);
    boolean max = p.kind() == Pool2D.Kind.MAX;
    SmallOp small = pooled(first, c, h, w, oh, ow, max);
    int[] axes = first ? new int[] {2, 3} : new int[] {1, 2};
    BoundLayer bound = new BoundLayer(in -> {
      INDArray x = in.get(0);
      long n = x.size(0);
      if (oh == 1 && ow == 1) {
        INDArray y = max ? x.max(axes) : x.mean(axes);
        return y.reshape('c', output.withBatch(n));
      }
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), (int) n), output.withBatch(n));
    }, small, Integer.MAX_VALUE);
    // channels first: the same pooling channels last where the pass keeps its input that way
    return first ? bound.withChannelsLast(pooled(false, c, h, w, oh, ow, max), true) : bound;
  }

  /**
   * The pooling of {@code n} samples in the given layout ({@code first}: {@code (n, c, h, w)}, else
   * {@code (n, h, w, c)}): each cell's values in one order either way, so both layouts give the
   * same values.
   */
  private static SmallOp pooled(boolean first, int c, int h, int w, int oh, int ow, boolean max) {
    Cells rows = Cells.of(oh, h);
    Cells cols = Cells.of(ow, w);
    if (!first) {
      return (in, n) -> channelsLast(in.get(0), n, c, h, w, rows, cols, max);
    }
    return (in, n) -> {
      float[] x = in.get(0);
      float[] y = new float[n * c * oh * ow];
      for (int s = 0; s < n; s++) {
        for (int ch = 0; ch < c; ch++) {
          for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
              float acc = max ? Float.NEGATIVE_INFINITY : 0f;
              for (int r = rows.start[i]; r < rows.end[i]; r++) {
                for (int q = cols.start[j]; q < cols.end[j]; q++) {
                  float v = x[((s * c + ch) * h + r) * w + q];
                  // aten's max propagates NaN; Math.max does too.
                  acc = max ? Math.max(acc, v) : acc + v;
                }
              }
              y[((s * c + ch) * oh + i) * ow + j] = max ? acc : acc / (rows.size(i) * cols.size(j));
            }
          }
        }
      }
      return y;
    };
  }

  /**
   * Channels last: each cell's positions in the same order as channels first, all the channels
   * of a position at a time (a position's channels are contiguous), so each output is the same
   * float sums in the same order.
   */
  private static float[] channelsLast(float[] x, int n, int c, int h, int w, Cells rows, Cells cols, boolean max) {
    int oh = rows.start.length;
    int ow = cols.start.length;
    float[] y = new float[n * oh * ow * c];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          int to = ((s * oh + i) * ow + j) * c;
          if (max) {
            java.util.Arrays.fill(y, to, to + c, Float.NEGATIVE_INFINITY);
          }
          for (int r = rows.start[i]; r < rows.end[i]; r++) {
            for (int q = cols.start[j]; q < cols.end[j]; q++) {
              for (int ch = 0, from = ((s * h + r) * w + q) * c; ch < c; ch++) {
                y[to + ch] = max ? Math.max(y[to + ch], x[from + ch]) : y[to + ch] + x[from + ch];
              }
            }
          }
          if (!max) {
            float cells = rows.size(i) * cols.size(j);
            for (int ch = to; ch < to + c; ch++) {
              y[ch] /= cells;
            }
          }
        }
      }
    }
    return y;
  }

  /** The input rows (or columns) {@code [start[i], end[i])} of each output row (or column) {@code i}, worked out once. */
  private record Cells(int[] start, int[] end) {
    static Cells of(int out, int in) {
      int[] start = new int[out];
      int[] end = new int[out];
      for (int i = 0; i < out; i++) {
        start[i] = AdaptivePool2D.start(i, out, in);
        end[i] = AdaptivePool2D.end(i, out, in);
      }
      return new Cells(start, end);
    }

    int size(int i) {
      return end[i] - start[i];
    }
  }
}
