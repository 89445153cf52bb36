package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.StepMask;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Keras mask as a {@code (n, T)} tensor of 1 (kept) and 0 (masked): ids not 0, or a step with a
 * feature other than the mask value. One pass over the input in Java in both forms.
 */
public final class StepMaskOp implements LayerOpFactory<StepMask> {

  @Override
  public Class<StepMask> layerType() {
    return StepMask.class;
  }

  /** Keras' {@code any(x != value)} over the {@code features} values at {@code offset}. */
  static boolean kept(float[] x, int offset, int features, float value) {
    for (int j = 0; j < features; j++) {
      if (x[offset + j] != value) {
        return true;
      }
    }
    return false;
  }

  @Override
  public BoundLayer bind(StepMask m, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    int steps = inferred.outputShape().dim(0);
    int features = m.source() == StepMask.Source.IDS ? 1 : inferred.inputShapes().get(0).dim(1);
    float value = (float) m.maskValue();
    SmallOp small = (in, batch) -> {
      float[] x = in.get(0);
      float[] mask = new float[batch * steps];
      for (int row = 0; row < mask.length; row++) {
        mask[row] = kept(x, row * features, features, value) ? 1f : 0f;
      }
      return mask;
    };
    return new BoundLayer(in -> {
      int n = (int) in.get(0).size(0);
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(in.get(0))), n), inferred.outputShape().withBatch(n));
    }, small, Integer.MAX_VALUE);
  }
}
