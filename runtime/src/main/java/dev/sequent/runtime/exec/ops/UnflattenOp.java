package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.Unflatten;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code nn.Unflatten}: a reshape to the output shape, as {@link ReshapeOp}. */
public final class UnflattenOp implements LayerOpFactory<Unflatten> {

  @Override
  public Class<Unflatten> layerType() {
    return Unflatten.class;
  }

  @Override
  public BoundLayer bind(Unflatten layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    return ReshapeOp.reinterpret(inferred.outputShape());
  }
}
