package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Reshape;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The same row-major values under the output shape: a reshape for ND4J, nothing at all for the
 * plain-Java form (its arrays are already flat). {@link UnflattenOp} binds the same way.
 */
public final class ReshapeOp implements LayerOpFactory<Reshape> {

  @Override
  public Class<Reshape> layerType() {
    return Reshape.class;
  }

  @Override
  public BoundLayer bind(Reshape layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    return reinterpret(inferred.outputShape());
  }

  /** A layer that only gives its input's values a new sample shape. */
  static BoundLayer reinterpret(Shape output) {
    return new BoundLayer(in -> {
      INDArray x = in.get(0);
      return x.reshape('c', output.withBatch(x.size(0)));
    }, (in, n) -> in.get(0), Integer.MAX_VALUE);
  }
}
