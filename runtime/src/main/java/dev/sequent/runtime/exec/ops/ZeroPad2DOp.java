package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ZeroPad2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Zeros around each image: {@code Nd4j.pad} (through {@link SpatialPadding#padSpatial}) for large
 * batches, and for small ones a plain-Java copy of each row into a zeroed array, where the ND4J
 * call's fixed cost dominates. Both layouts.
 */
public final class ZeroPad2DOp implements LayerOpFactory<ZeroPad2D> {

  @Override
  public Class<ZeroPad2D> layerType() {
    return ZeroPad2D.class;
  }

  @Override
  public BoundLayer bind(ZeroPad2D z, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = z.dataFormat();
    Window window = Window.of(input, output, f, z.top(), z.left(), 0, 0);
    SmallOp small = (in, n) -> {
      float[] y = new float[n * (int) output.size()];
      window.copy(in.get(0), y, n);
      return y;
    };
    LayerOp nd4j = in -> SpatialPadding.padSpatial(in.get(0), f, z.top(), z.bottom(), z.left(), z.right(), 0f);
    int javaMaxBatch = BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size());
    return new BoundLayer(in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      return n > javaMaxBatch ? nd4j.apply(in)
          : FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
    }, small, javaMaxBatch);
  }

  /**
   * A rectangle of {@code rows x cols} cells copied from each image of a row-major batch (at
   * {@code srcTop, srcLeft} of its {@code srcH x srcW}) to each image of another (at
   * {@code dstTop, dstLeft} of its {@code dstH x dstW}); cells outside it are left as they are
   * (zeros). Shared with {@link Cropping2DOp}, which copies the inner rectangle out.
   */
  record Window(boolean first, int channels, int srcH, int srcW, int dstH, int dstW, int rows, int cols,
      int srcTop, int srcLeft, int dstTop, int dstLeft) {

    static Window of(Shape src, Shape dst, DataFormat f, int dstTop, int dstLeft, int srcTop, int srcLeft) {
      int c = src.dim(f.channelAxis());
      int sh = src.dim(f.heightAxis());
      int sw = src.dim(f.heightAxis() + 1);
      int dh = dst.dim(f.heightAxis());
      int dw = dst.dim(f.heightAxis() + 1);
      return new Window(f == DataFormat.CHANNELS_FIRST, c, sh, sw, dh, dw, Math.min(sh, dh), Math.min(sw, dw),
          srcTop, srcLeft, dstTop, dstLeft);
    }

    void copy(float[] x, float[] y, int n) {
      if (first) {
        // [N*C planes][H][W]: each row of each plane is one run.
        for (int p = 0; p < n * channels; p++) {
          for (int i = 0; i < rows; i++) {
            System.arraycopy(x, (p * srcH + srcTop + i) * srcW + srcLeft, y, (p * dstH + dstTop + i) * dstW + dstLeft,
                cols);
          }
        }
      } else {
        // [N][H][W*C]: each row's cols * C values are one run.
        for (int s = 0; s < n; s++) {
          for (int i = 0; i < rows; i++) {
            System.arraycopy(x, ((s * srcH + srcTop + i) * srcW + srcLeft) * channels,
                y, ((s * dstH + dstTop + i) * dstW + dstLeft) * channels, cols * channels);
          }
        }
      }
    }
  }
}
