package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Add;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise sum of a merge's inputs (all of one shape, checked by shape inference), summed
 * into a copy of the first so no input is modified.
 */
public final class AddOp implements LayerOpFactory<Add> {

  @Override
  public Class<Add> layerType() {
    return Add.class;
  }

  @Override
  public BoundLayer bind(Add layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape output = inferred.outputShape();
    return new BoundLayer(in -> {
      INDArray sum = Elementwise.copy(in.get(0));
      for (int i = 1; i < in.size(); i++) {
        sum.addi(in.get(i));
      }
      return sum;
    }, (in, n) -> {
      float[] sum = in.get(0).clone();
      for (int i = 1; i < in.size(); i++) {
        float[] x = in.get(i);
        for (int j = 0; j < sum.length; j++) {
          sum[j] += x[j];
        }
      }
      return sum;
    }, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size()));
  }
}
