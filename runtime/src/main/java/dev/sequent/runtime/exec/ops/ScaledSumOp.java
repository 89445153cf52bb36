package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ScaledSum;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code trunk + branch * scale} in float32, one loop over Java arrays on every batch size: one
 * multiply-add per value is memory-bound, as {@link AffineLastAxis}.
 */
public final class ScaledSumOp implements LayerOpFactory<ScaledSum> {

  @Override
  public Class<ScaledSum> layerType() {
    return ScaledSum.class;
  }

  @Override
  public BoundLayer bind(ScaledSum layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape out = inferred.outputShape();
    SmallOp small = (xs, n) -> {
      float[] trunk = xs.get(0);
      float[] branch = xs.get(1);
      float[] y = new float[trunk.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = layer.apply(trunk[i], branch[i]);
      }
      return y;
    };
    return new BoundLayer(xs -> {
      int n = (int) xs.get(0).size(0);
      return FloatArrays.of(small.apply(xs.stream().map(FloatArrays::copyOf).toList(), n), out.withBatch(n));
    }, small, Integer.MAX_VALUE);
  }
}
