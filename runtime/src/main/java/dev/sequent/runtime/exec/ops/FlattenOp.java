package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.Flatten;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each sample's values as one vector, in the row-major order of the model's own layout (a dense
 * kernel from a file in the other image layout has its input rows reordered when loaded, by
 * {@code WeightMapping}), so this is a reshape for ND4J and nothing at all for the plain-Java form.
 */
public final class FlattenOp implements LayerOpFactory<Flatten> {

  @Override
  public Class<Flatten> layerType() {
    return Flatten.class;
  }

  @Override
  public BoundLayer bind(Flatten layer, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    // (N, ...) to (N, output shape): all of it, or the axes from start_dim to end_dim joined.
    int[] out = inferred.outputShape().dims().stream().mapToInt(Integer::intValue).toArray();
    return new BoundLayer(in -> {
      INDArray x = in.get(0);
      long[] shape = new long[out.length + 1];
      shape[0] = x.size(0);
      for (int i = 0; i < out.length; i++) {
        shape[i + 1] = out[i];
      }
      return x.reshape('c', shape);
    }, (in, n) -> in.get(0), Integer.MAX_VALUE); // row-major values are already in the output's order
  }
}
