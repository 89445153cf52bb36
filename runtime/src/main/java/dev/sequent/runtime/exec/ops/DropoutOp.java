package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.Dropout;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Dropout at inference: the identity, in both forms (the runtime only runs inference). */
public final class DropoutOp implements LayerOpFactory<Dropout> {

  @Override
  public Class<Dropout> layerType() {
    return Dropout.class;
  }

  @Override
  public BoundLayer bind(Dropout layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    return new BoundLayer(in -> in.get(0), (in, n) -> in.get(0), Integer.MAX_VALUE).layoutFreeForm();
  }
}
