package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.LayerScale;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code x * gamma} along the last axis: {@link AffineLastAxis} with a zero shift (adding 0.0 after
 * the multiply leaves every float32 product as it is, but -0.0, which compares equal).
 */
public final class LayerScaleOp implements LayerOpFactory<LayerScale> {

  @Override
  public Class<LayerScale> layerType() {
    return LayerScale.class;
  }

  @Override
  public BoundLayer bind(LayerScale layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    float[] gamma = FloatArrays.copyOf(params.get(0));
    return AffineLastAxis.bind(inferred.inputShapes().get(0), gamma, new float[gamma.length]);
  }
}
