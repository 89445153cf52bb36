package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.PReLU;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PReLU, {@code x >= 0 ? x : alpha * x}, with the slopes broadcast once at bind time to one per
 * element of the sample (Keras' alpha over its unshared axes, PyTorch's weight over axis 1), so
 * both paths run one pass over the values.
 */
public final class PReLUOp implements LayerOpFactory<PReLU> {

  @Override
  public Class<PReLU> layerType() {
    return PReLU.class;
  }

  @Override
  public BoundLayer bind(PReLU p, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape in = inferred.inputShapes().get(0);
    float[] alpha = FloatArrays.copyOf(params.get(0));
    float[] slopes = broadcast(p, in, alpha);
    int sample = slopes.length;
    return new BoundLayer(x -> {
      INDArray y = Elementwise.copy(x.get(0));
      FloatBuffer b = Elementwise.buffer(y);
      apply(b, (int) y.length(), slopes, sample);
      java.lang.ref.Reference.reachabilityFence(y);
      return y;
    }, (x, n) -> {
      float[] y = x.get(0).clone();
      apply(FloatBuffer.wrap(y), y.length, slopes, sample);
      return y;
    }, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, in.size()));
  }

  private static void apply(FloatBuffer b, int len, float[] slopes, int sample) {
    for (int i = 0; i < len; i++) {
      float v = b.get(i);
      if (v < 0f) {
        b.put(i, slopes[i % sample] * v);
      }
    }
  }

  /** One slope per sample element, row-major over {@code in}. */
  static float[] broadcast(PReLU p, Shape in, float[] alpha) {
    int size = (int) in.size();
    float[] out = new float[size];
    int[] dims = in.toArray();
    if (p.framework() == Framework.TORCH) {
      int inner = dims.length == 0 ? 1 : size / dims[0];
      for (int i = 0; i < size; i++) {
        out[i] = alpha.length == 1 ? alpha[0] : alpha[i / inner];
      }
      return out;
    }
    int[] adims = p.kerasAlphaShape(in).toArray();
    for (int i = 0; i < size; i++) {
      int rem = i;
      int a = 0;
      int stride = 1;
      int[] idx = new int[dims.length];
      for (int d = dims.length - 1; d >= 0; d--) {
        idx[d] = rem % dims[d];
        rem /= dims[d];
      }
      for (int d = dims.length - 1; d >= 0; d--) {
        a += (adims[d] == 1 ? 0 : idx[d]) * stride;
        stride *= adims[d];
      }
      out[i] = alpha[a];
    }
    return out;
  }
}
