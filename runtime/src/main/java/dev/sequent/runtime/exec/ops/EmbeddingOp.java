package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.Embedding;
import dev.sequent.runtime.InputShapeException;
import dev.sequent.runtime.RuntimeMessage;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A table lookup, row by row, in plain Java on both paths: there is no arithmetic to hand to ND4J,
 * and checking every id first (an integer, inside the table) turns what would be an index error
 * deep in a native gather into a message naming the layer, the id and the range.
 */
public final class EmbeddingOp implements LayerOpFactory<Embedding> {

  @Override
  public Class<Embedding> layerType() {
    return Embedding.class;
  }

  @Override
  public BoundLayer bind(Embedding e, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    float[] table = FloatArrays.copyOf(params.get(0));
    int dim = e.outputDim();
    int steps = inferred.inputShapes().get(0).dim(0);
    String layer = inferred.name() + " (" + e.typeName() + ")";
    SmallOp small = (in, n) -> {
      float[] ids = in.get(0);
      float[] y = new float[ids.length * dim];
      for (int i = 0; i < ids.length; i++) {
        float id = ids[i];
        if (!(id >= 0 && id < e.inputDim()) || id != Math.rint(id)) {
          throw new InputShapeException(RuntimeMessage.EMBEDDING_ID_OUT_OF_RANGE.format(layer, id,
              i / steps, i % steps, e.inputDim()));
        }
        System.arraycopy(table, (int) id * dim, y, i * dim, dim);
      }
      return y;
    };
    return new BoundLayer(in -> {
      int n = (int) in.get(0).size(0);
      return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(in.get(0))), n),
          inferred.outputShape().withBatch(n));
    }, small, Integer.MAX_VALUE);
  }
}
