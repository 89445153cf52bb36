package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Concatenate;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Concatenation along one sample axis. Row-major, each input is a run of {@code outer} blocks
 * (the axes before the joined one, batch included) of {@code dim * inner} values; the output
 * interleaves those blocks, input after input, so the plain-Java form is one block copy per input
 * per outer index. Large batches use {@code Nd4j.concat}.
 */
public final class ConcatenateOp implements LayerOpFactory<Concatenate> {

  @Override
  public Class<Concatenate> layerType() {
    return Concatenate.class;
  }

  @Override
  public BoundLayer bind(Concatenate c, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape output = inferred.outputShape();
    List<Shape> inputs = inferred.inputShapes();
    int axis = c.sampleAxis(output.rank());
    int outerPerSample = 1;
    for (int a = 0; a < axis; a++) {
      outerPerSample *= output.dim(a);
    }
    int[] blocks = new int[inputs.size()];
    for (int k = 0; k < blocks.length; k++) {
      blocks[k] = (int) (inputs.get(k).size() / outerPerSample);
    }
    int outBlock = (int) (output.size() / outerPerSample);
    int outer = outerPerSample;
    SmallOp small = (in, n) -> {
      float[] y = new float[n * (int) output.size()];
      for (int o = 0; o < n * outer; o++) {
        int at = o * outBlock;
        for (int k = 0; k < blocks.length; k++) {
          System.arraycopy(in.get(k), o * blocks[k], y, at, blocks[k]);
          at += blocks[k];
        }
      }
      return y;
    };
    int javaMaxBatch = BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size());
    return new BoundLayer(in -> {
      int n = (int) in.get(0).size(0);
      if (n <= javaMaxBatch) {
        return FloatArrays.of(small.apply(in.stream().map(FloatArrays::copyOf).toList(), n), output.withBatch(n));
      }
      return Nd4j.concat(axis + 1, in.toArray(new INDArray[0])).dup('c');
    }, small, javaMaxBatch);
  }
}
