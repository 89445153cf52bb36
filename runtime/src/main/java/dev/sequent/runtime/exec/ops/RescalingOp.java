package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Rescaling;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code x * scale + offset} in float32, as Keras casts both to the compute dtype, with a scale
 * and offset per entry of the last axis (one value repeated when the config gives one).
 */
public final class RescalingOp implements LayerOpFactory<Rescaling> {

  @Override
  public Class<Rescaling> layerType() {
    return Rescaling.class;
  }

  @Override
  public BoundLayer bind(Rescaling r, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape in = inferred.inputShapes().get(0);
    int last = in.last();
    float[] scale = perLast(r.scale(), last);
    float[] offset = perLast(r.offset(), last);
    return AffineLastAxis.bind(in, scale, offset);
  }

  static float[] perLast(List<Double> values, int last) {
    float[] v = new float[last];
    for (int i = 0; i < last; i++) {
      v[i] = (float) (double) values.get(values.size() == 1 ? 0 : i);
    }
    return v;
  }
}
