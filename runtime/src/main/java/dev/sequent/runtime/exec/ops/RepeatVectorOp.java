package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.layers.RepeatVector;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Each sample's vector copied {@code n} times: ND4J's repeat along a new step axis, or array copies. */
public final class RepeatVectorOp implements LayerOpFactory<RepeatVector> {

  @Override
  public Class<RepeatVector> layerType() {
    return RepeatVector.class;
  }

  @Override
  public BoundLayer bind(RepeatVector r, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    int features = inferred.inputShapes().get(0).dim(0);
    int n = r.n();
    SmallOp small = (in, batch) -> {
      float[] x = in.get(0);
      float[] y = new float[batch * n * features];
      for (int s = 0; s < batch; s++) {
        for (int t = 0; t < n; t++) {
          System.arraycopy(x, s * features, y, (s * n + t) * features, features);
        }
      }
      return y;
    };
    return new BoundLayer(in -> {
      INDArray x = in.get(0);
      return x.reshape('c', x.size(0), 1, features).repeat(1, n).reshape('c', x.size(0), n, features).dup('c');
    }, small, BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, (long) n * features));
  }
}
