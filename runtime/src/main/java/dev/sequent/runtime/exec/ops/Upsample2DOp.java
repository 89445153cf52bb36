package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Upsample2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.NdArrays;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest and bilinear upsampling by integer factors, in either data layout. Both forms run the
 * same Java loop on Java arrays (the ND4J form copies its input out of and its output into ND4J's
 * off-heap buffers in bulk; reading those buffers value by value made the loop several times slower):
 * each output value reads at most four input values at positions fixed at bind time, so the loop
 * is memory-bound and ND4J has no kernel that would do better (its resize ops do not offer
 * PyTorch's {@code align_corners=True} and half-pixel centers from the same call).
 *
 * <p>The source positions and weights are computed as PyTorch's {@code upsample_bilinear2d} does,
 * in float: {@code src = max((d + 0.5) / scale - 0.5, 0)} (half-pixel) or {@code d * (in - 1) /
 * (out - 1)} (corners aligned), {@code i0 = (int) src}, {@code i1 = min(i0 + 1, in - 1)},
 * {@code lambda = src - i0}; Keras' bilinear ({@code tf.image.resize}) gives the same values
 * within float rounding (checked by fixtures/make_upsampling_fixtures.py). Nearest repeats pixels.
 */
public final class Upsample2DOp implements LayerOpFactory<Upsample2D> {

  @Override
  public Class<Upsample2D> layerType() {
    return Upsample2D.class;
  }

  /** Per output row (or column): the two source indices and the weight of the second. */
  record Axis(int[] lo, int[] hi, float[] lambda) {
    static Axis of(int in, int scale, Upsample2D.Interpolation interpolation, boolean alignCorners) {
      int out = in * scale;
      int[] lo = new int[out];
      int[] hi = new int[out];
      float[] lambda = new float[out];
      if (interpolation == Upsample2D.Interpolation.NEAREST) {
        for (int d = 0; d < out; d++) {
          lo[d] = d / scale;
          hi[d] = lo[d];
        }
        return new Axis(lo, hi, lambda);
      }
      float step = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : (float) (1.0 / scale);
      for (int d = 0; d < out; d++) {
        float src = alignCorners ? step * d : Math.max(step * (d + 0.5f) - 0.5f, 0f);
        int i0 = Math.min((int) src, in - 1);
        lo[d] = i0;
        hi[d] = Math.min(i0 + 1, in - 1);
        lambda[d] = Math.min(Math.max(src - i0, 0f), 1f);
      }
      return new Axis(lo, hi, lambda);
    }
  }

  @Override
  public BoundLayer bind(Upsample2D u, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = u.dataFormat();
    boolean first = f == DataFormat.CHANNELS_FIRST;
    int h = input.dim(f.heightAxis());
    int w = input.dim(f.heightAxis() + 1);
    int c = input.dim(f.channelAxis());
    Axis rows = Axis.of(h, u.scaleH(), u.interpolation(), u.alignCorners());
    Axis cols = Axis.of(w, u.scaleW(), u.interpolation(), u.alignCorners());
    boolean nearest = u.interpolation() == Upsample2D.Interpolation.NEAREST;
    // Channels-first: each of n*c planes on its own; channels-last: n images of c-vectors.
    int inner = first ? 1 : c;
    SmallOp small = (in, n) -> {
      float[] y = new float[Math.toIntExact(n * output.size())];
      run(in.get(0), y, first ? n * c : n, inner, h, w, rows, cols, nearest);
      return y;
    };
    LayerOp nd4j = in -> {
      INDArray x = Elementwise.contiguous(in.get(0));
      int n = (int) x.size(0);
      // Java arrays, not the off-heap buffers element by element: the loop runs several times faster.
      float[] xs = new float[Math.toIntExact(x.length())];
      Elementwise.buffer(x).get(0, xs);
      float[] ys = new float[Math.toIntExact(n * output.size())];
      run(xs, ys, first ? n * c : n, inner, h, w, rows, cols, nearest);
      java.lang.ref.Reference.reachabilityFence(x);
      INDArray y = NdArrays.uninitialized(output.withBatch(n));
      Elementwise.buffer(y).put(0, ys);
      return y;
    };
    return new BoundLayer(nd4j, small, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size()));
  }

  /**
   * Upsamples {@code outer} images of {@code h x w} cells of {@code inner} consecutive values
   * (row-major) from {@code x} into {@code y}.
   */
  static void run(float[] x, float[] y, int outer, int inner, int h, int w, Axis rows, Axis cols,
      boolean nearest) {
    int oh = rows.lo().length;
    int ow = cols.lo().length;
    int inPlane = h * w * inner;
    int[] c0s = cols.lo();
    int[] c1s = cols.hi();
    float[] w1s = cols.lambda();
    int at = 0;
    for (int o = 0; o < outer; o++) {
      int base = o * inPlane;
      for (int r = 0; r < oh; r++) {
        int row0 = base + rows.lo()[r] * w * inner;
        if (nearest) {
          if (inner == 1) {
            for (int q = 0; q < ow; q++) {
              y[at++] = x[row0 + c0s[q]];
            }
          } else {
            for (int q = 0; q < ow; q++) {
              System.arraycopy(x, row0 + c0s[q] * inner, y, at, inner);
              at += inner;
            }
          }
          continue;
        }
        int row1 = base + rows.hi()[r] * w * inner;
        float h1 = rows.lambda()[r];
        float h0 = 1f - h1;
        if (inner == 1) {
          for (int q = 0; q < ow; q++) {
            float w1 = w1s[q];
            float w0 = 1f - w1;
            int c0 = c0s[q];
            int c1 = c1s[q];
            y[at++] = h0 * (w0 * x[row0 + c0] + w1 * x[row0 + c1]) + h1 * (w0 * x[row1 + c0] + w1 * x[row1 + c1]);
          }
          continue;
        }
        for (int q = 0; q < ow; q++) {
          int c0 = c0s[q] * inner;
          int c1 = c1s[q] * inner;
          float w1 = w1s[q];
          float w0 = 1f - w1;
          int a0 = row0 + c0;
          int a1 = row0 + c1;
          int b0 = row1 + c0;
          int b1 = row1 + c1;
          for (int k = 0; k < inner; k++) {
            y[at++] = h0 * (w0 * x[a0 + k] + w1 * x[a1 + k]) + h1 * (w0 * x[b0 + k] + w1 * x[b1 + k]);
          }
        }
      }
    }
  }
}
