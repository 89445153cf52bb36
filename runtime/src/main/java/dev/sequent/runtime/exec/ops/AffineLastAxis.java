package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Shape;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code y = x * scale[i] + shift[i]} per entry {@code i} of the last axis, each rounded to float32
 * as Keras' Rescaling computes it (a multiply, then an add). One loop over Java arrays on every
 * batch size: the work is one multiply-add per value, memory-bound, which the copy in and out of
 * ND4J's buffers does not change in kind.
 */
final class AffineLastAxis {
  private AffineLastAxis() {}

  /**
   * @param in the sample shape
   * @param scale one per entry of the last axis
   * @param shift as {@code scale}
   */
  static BoundLayer bind(Shape in, float[] scale, float[] shift) {
    int block = scale.length;
    SmallOp small = (xs, n) -> {
      float[] x = xs.get(0);
      float[] y = new float[x.length];
      for (int at = 0; at < x.length; at++) {
        int i = at % block;
        float scaled = x[at] * scale[i];
        y[at] = scaled + shift[i];
      }
      return y;
    };
    return new BoundLayer(xs -> {
      INDArray x = xs.get(0);
      int n = (int) x.size(0);
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), in.withBatch(n));
    }, small, Integer.MAX_VALUE);
  }
}
