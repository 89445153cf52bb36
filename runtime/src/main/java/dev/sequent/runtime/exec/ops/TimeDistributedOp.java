package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Node;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.TimeDistributed;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.OpRegistry;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code TimeDistributed}: the wrapped layer's own op, bound once to its weights, run on the steps
 * folded into the batch ({@code (n, T, ...)} as {@code (n*T, ...)}, row-major, so no copy), in
 * whichever of its forms the folded batch takes.
 */
public final class TimeDistributedOp implements LayerOpFactory<TimeDistributed> {

  @Override
  public Class<TimeDistributed> layerType() {
    return TimeDistributed.class;
  }

  @Override
  public BoundLayer bind(TimeDistributed t, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape in = inferred.inputShapes().get(0);
    Shape step = t.stepShape(in);
    int steps = in.dim(0);
    List<Shape> stepIn = List.of(step);
    InferredModel.Layer inner = new InferredModel.Layer(new Node(inferred.name(), t.layer(), inferred.node().inputs()),
        stepIn, t.layer().outputShape(stepIn), t.layer().params(stepIn));
    BoundLayer bound = OpRegistry.bind(inner, params, context);
    Shape output = inferred.outputShape();
    LayerOp nd4j = inputs -> {
      INDArray x = inputs.get(0);
      long n = x.size(0);
      INDArray folded = x.reshape('c', step.withBatch(n * steps));
      // A folded batch small enough for the wrapped layer's Java form takes it, as the plan would.
      INDArray y = bound.nd4j().apply(List.of(folded));
      return y.reshape('c', output.withBatch(n));
    };
    SmallOp java = bound.java() == null ? null : (inputs, n) -> bound.java().apply(inputs, n * steps);
    int javaMaxBatch = java == null ? 0 : bound.javaMaxBatch() / steps;
    return javaMaxBatch > 0 ? new BoundLayer(nd4j, java, javaMaxBatch) : BoundLayer.nd4jOnly(nd4j);
  }

  /** The output is a view of the wrapped layer's: owned as far as that layer's is. */
  @Override
  public boolean returnsOwnedArrays(TimeDistributed t) {
    return OpRegistry.returnsOwnedArrays(t.layer());
  }
}
