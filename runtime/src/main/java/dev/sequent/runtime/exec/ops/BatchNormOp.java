package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.BatchNorm;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference BatchNorm folded into one scale and shift per feature; where it follows a convolution or
 * dense layer the plan folds that into the layer's weights instead and this op is not run.
 */
public final class BatchNormOp implements LayerOpFactory<BatchNorm> {

  @Override
  public Class<BatchNorm> layerType() {
    return BatchNorm.class;
  }

  @Override
  public BoundLayer bind(BatchNorm b, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Epilogue e = asEpilogue(b, inferred, params).orElseThrow();
    float[] scale = e.scale();
    float[] shift = e.shift();
    int axis = e.axis() + 1;
    SmallOp small = (in, n) -> {
      float[] y = in.get(0).clone();
      Elementwise.affinePerFeature(FloatBuffer.wrap(y), input.withBatch(n), axis, scale, shift);
      return y;
    };
    LayerOp nd4j = in -> {
      INDArray y = Elementwise.copy(in.get(0));
      Elementwise.affinePerFeature(Elementwise.buffer(y), y.shape(), axis, scale, shift);
      return y;
    };
    return new BoundLayer(nd4j, small, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, input.size()));
  }

  /**
   * Inference BatchNorm is one scale and shift per feature, which the plan folds into a preceding
   * convolution or dense layer ({@link dev.sequent.runtime.exec.PlanFusion}); computed in double
   * and rounded once.
   */
  @Override
  public Optional<Epilogue> asEpilogue(BatchNorm b, InferredModel.Layer inferred, List<INDArray> params) {
    Shape input = inferred.inputShapes().get(0);
    int features = b.features(input);
    int i = 0;
    float[] gamma = b.scale() ? FloatArrays.copyOf(params.get(i++)) : filled(features, 1f);
    float[] beta = b.center() ? FloatArrays.copyOf(params.get(i++)) : filled(features, 0f);
    float[] mean = FloatArrays.copyOf(params.get(i++));
    float[] var = FloatArrays.copyOf(params.get(i));
    float[] scale = new float[features];
    float[] shift = new float[features];
    for (int f = 0; f < features; f++) {
      double s = gamma[f] / Math.sqrt((double) var[f] + b.epsilon());
      scale[f] = (float) s;
      shift[f] = (float) (beta[f] - mean[f] * s);
    }
    int axis = b.featureAxis() < 0 ? input.rank() + b.featureAxis() : b.featureAxis();
    return Optional.of(Epilogue.affine(scale, shift, axis));
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
