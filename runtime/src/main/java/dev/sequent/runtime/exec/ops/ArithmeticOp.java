package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Arithmetic;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Two tensors: the element-wise merge of the operator ({@link ElementwiseMergeOp}, broadcasting).
 * A tensor and a number: combined element by element in float32, the number on the side the model's
 * code put it ({@code 1.0 - x} is not {@code x - 1.0}), division as division (not a multiply by the
 * reciprocal, which rounds differently). One loop over Java arrays on every batch size, as
 * {@link AffineLastAxis}: one operation per value is memory-bound.
 */
public final class ArithmeticOp implements LayerOpFactory<Arithmetic> {

  @Override
  public Class<Arithmetic> layerType() {
    return Arithmetic.class;
  }

  @Override
  public BoundLayer bind(Arithmetic layer, InferredModel.Layer inferred, List<INDArray> params,
      OpContext context) {
    if (layer.arity() == 2) {
      return new ElementwiseMergeOp().bind(layer.asMerge(), inferred, params, context);
    }
    Shape in = inferred.inputShapes().get(0);
    // The number as float32 and its side, once: the loop is one operation per value.
    Arithmetic.Operator op = layer.operator();
    float c = (float) (double) layer.constant().orElseThrow();
    boolean constantFirst = layer.constantFirst();
    SmallOp small = (xs, n) -> {
      float[] x = xs.get(0);
      float[] y = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = constantFirst ? op.apply(c, x[i]) : op.apply(x[i], c);
      }
      return y;
    };
    return new BoundLayer(xs -> {
      INDArray x = xs.get(0);
      int n = (int) x.size(0);
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), in.withBatch(n));
    }, small, Integer.MAX_VALUE);
  }
}
