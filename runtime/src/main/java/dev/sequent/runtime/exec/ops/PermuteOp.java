package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Permute;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Axes reordered: ND4J's {@code permute} view copied row-major on large batches; on small ones a
 * plain-Java walk over the output in order, reading the input through its strides permuted.
 */
public final class PermuteOp implements LayerOpFactory<Permute> {

  @Override
  public Class<Permute> layerType() {
    return Permute.class;
  }

  @Override
  public BoundLayer bind(Permute p, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    int rank = input.rank();
    int[] inStrides = new int[rank];
    int stride = 1;
    for (int a = rank - 1; a >= 0; a--) {
      inStrides[a] = stride;
      stride *= input.dim(a);
    }
    int[] dims = output.toArray();
    int[] strides = new int[rank]; // input stride of each output axis
    for (int a = 0; a < rank; a++) {
      strides[a] = inStrides[p.dims().get(a) - 1];
    }
    int per = (int) output.size();
    SmallOp small = (in, n) -> {
      float[] x = in.get(0);
      float[] y = new float[n * per];
      int[] index = new int[rank];
      for (int b = 0; b < n; b++) {
        java.util.Arrays.fill(index, 0);
        int offset = b * per;
        int out = b * per;
        for (int j = 0; j < per; j++) {
          y[out + j] = x[offset];
          for (int a = rank - 1; a >= 0; a--) {
            if (++index[a] < dims[a]) {
              offset += strides[a];
              break;
            }
            offset -= strides[a] * (dims[a] - 1);
            index[a] = 0;
          }
        }
      }
      return y;
    };
    int[] order = new int[rank + 1];
    for (int a = 0; a < rank; a++) {
      order[a + 1] = p.dims().get(a);
    }
    int javaMaxBatch = BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, per);
    return new BoundLayer(in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (n <= javaMaxBatch) {
        return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
      }
      return x.permute(order).dup('c');
    }, small, javaMaxBatch);
  }
}
