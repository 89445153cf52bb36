package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.LayerNorm;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation over the last axes of each sample: {@code y = (x - mean) / sqrt(var + eps)
 * * gamma + beta}, each row of {@code size(D)} values (D the normalised dims, gamma's shape) on its
 * own. The mean and the biased variance are computed in two passes (the mean, then the mean of
 * the squared deviations), as PyTorch's {@code layer_norm} and Keras' {@code moments} do, so there
 * is no cancellation for rows far from zero ({@link JavaKernels#layerNorm}: in double with the
 * scalar kernels, in float vectors with the SIMD ones). A missing gamma is 1, a missing beta 0.
 *
 * <p>Both forms run the same Java kernel: the ND4J form on a Java copy of its input. Done with
 * ND4J ops, the same result takes half a dozen calls (mean, variance, subtract, divide, multiply,
 * add), each with its own overhead and a temporary the size of the input.
 */
public final class LayerNormOp implements LayerOpFactory<LayerNorm> {

  @Override
  public Class<LayerNorm> layerType() {
    return LayerNorm.class;
  }

  @Override
  public BoundLayer bind(LayerNorm l, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    int width = Math.toIntExact(l.normalizedShape(input).size());
    int i = 0;
    float[] gamma = l.scale() ? checked(FloatArrays.copyOf(params.get(i++)), width, "gamma") : null;
    float[] beta = l.center() ? checked(FloatArrays.copyOf(params.get(i)), width, "beta") : null;
    double eps = l.epsilon();
    SmallOp small = (in, n) -> {
      float[] y = PassArrays.copyOf(in.get(0));
      JavaKernels.active().layerNorm(y, 0, y.length / width, width, gamma, beta, eps);
      return y;
    };
    LayerOp nd4j = in -> {
      INDArray x = in.get(0);
      float[] y = FloatArrays.copyOf(x);
      JavaKernels.active().layerNorm(y, 0, y.length / width, width, gamma, beta, eps);
      return FloatArrays.of(y, x.shape());
    };
    return new BoundLayer(nd4j, small, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, input.size()));
  }

  private static float[] checked(float[] values, int width, String name) {
    if (values.length != width) {
      throw new IllegalArgumentException("LayerNorm " + name + " has " + values.length
          + " values for " + width + " normalised ones");
    }
    return values;
  }
}
