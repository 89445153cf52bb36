package dev.sequent.runtime.exec.ops;

import dev.sequent.model.DataFormat;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Cropping2D;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The inner rectangle of each image: an ND4J view over the kept rows and columns, copied into a
 * row-major array, for large batches; a plain-Java copy of each kept row for small ones. Both layouts.
 */
public final class Cropping2DOp implements LayerOpFactory<Cropping2D> {

  @Override
  public Class<Cropping2D> layerType() {
    return Cropping2D.class;
  }

  @Override
  public BoundLayer bind(Cropping2D k, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    DataFormat f = k.dataFormat();
    ZeroPad2DOp.Window window = ZeroPad2DOp.Window.of(input, output, f, 0, 0, k.top(), k.left());
    SmallOp small = (in, n) -> {
      float[] y = new float[n * (int) output.size()];
      window.copy(in.get(0), y, n);
      return y;
    };
    INDArrayIndex rows = NDArrayIndex.interval(k.top(), input.dim(f.heightAxis()) - k.bottom());
    INDArrayIndex cols = NDArrayIndex.interval(k.left(), input.dim(f.heightAxis() + 1) - k.right());
    LayerOp nd4j = in -> (f == DataFormat.CHANNELS_FIRST
        ? in.get(0).get(NDArrayIndex.all(), NDArrayIndex.all(), rows, cols)
        : in.get(0).get(NDArrayIndex.all(), rows, cols, NDArrayIndex.all())).dup('c');
    int javaMaxBatch = BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, input.size());
    return new BoundLayer(in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      return n > javaMaxBatch ? nd4j.apply(in)
          : FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
    }, small, javaMaxBatch);
  }
}
