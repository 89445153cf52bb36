package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.Masking;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras {@code Masking}: {@code x * any(x != mask_value)} per step. One pass over the values, so
 * both forms run it in Java (an ND4J batch is copied out and back).
 */
public final class MaskingOp implements LayerOpFactory<Masking> {

  @Override
  public Class<Masking> layerType() {
    return Masking.class;
  }

  @Override
  public BoundLayer bind(Masking m, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    int steps = inferred.inputShapes().get(0).dim(0);
    int features = inferred.inputShapes().get(0).dim(1);
    float value = (float) m.maskValue();
    SmallOp small = (in, batch) -> {
      float[] x = in.get(0);
      float[] y = x.clone();
      for (int row = 0; row < batch * steps; row++) {
        if (!StepMaskOp.kept(x, row * features, features, value)) {
          java.util.Arrays.fill(y, row * features, (row + 1) * features, 0f);
        }
      }
      return y;
    };
    return new BoundLayer(in -> {
      int n = (int) in.get(0).size(0);
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(in.get(0))), n), inferred.outputShape().withBatch(n));
    }, small, Integer.MAX_VALUE);
  }
}
