package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.Slice;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Part of one axis ({@link Slice}): on large batches ND4J's strided view ({@code interval(first,
 * step, end)} on the axis) copied row-major; on small ones a plain-Java copy of {@code count} rows of
 * {@code inner} values from each of the {@code outer} blocks of every sample.
 */
public final class SliceOp implements LayerOpFactory<Slice> {
  private final long javaLimit;

  public SliceOp() {
    this(Elementwise.JAVA_LIMIT);
  }

  /** With another limit on the values per batch copied in Java: tests force the ND4J path. */
  SliceOp(long javaLimit) {
    this.javaLimit = javaLimit;
  }

  @Override
  public Class<Slice> layerType() {
    return Slice.class;
  }

  @Override
  public BoundLayer bind(Slice sl, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape input = inferred.inputShapes().get(0);
    Shape output = inferred.outputShape();
    int axis = sl.axis(input.rank());
    int length = input.dim(axis);
    int first = sl.first(length);
    int count = sl.count(length);
    int step = sl.step();
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= input.dim(i);
    }
    int inner = 1;
    for (int i = axis + 1; i < input.rank(); i++) {
      inner *= input.dim(i);
    }
    int perIn = (int) input.size();
    int perOut = (int) output.size();
    int innerF = inner;
    int outerF = outer;
    SmallOp small = (in, n) -> {
      float[] x = in.get(0);
      float[] y = new float[n * perOut];
      int at = 0;
      for (int b = 0; b < n; b++) {
        for (int o = 0; o < outerF; o++) {
          int base = b * perIn + o * length * innerF;
          for (int c = 0; c < count; c++) {
            System.arraycopy(x, base + (first + c * step) * innerF, y, at, innerF);
            at += innerF;
          }
        }
      }
      return y;
    };
    int javaMaxBatch = BoundLayer.maxBatch(javaLimit, perIn);
    return new BoundLayer(in -> {
      INDArray x = in.get(0);
      int n = (int) x.size(0);
      if (n <= javaMaxBatch) {
        return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), output.withBatch(n));
      }
      INDArrayIndex[] index = new INDArrayIndex[input.rank() + 1];
      for (int i = 0; i < index.length; i++) {
        index[i] = NDArrayIndex.all();
      }
      index[axis + 1] = NDArrayIndex.interval(first, step, first + (long) (count - 1) * step + 1);
      return x.get(index).dup('c').reshape('c', output.withBatch(n));
    }, small, javaMaxBatch);
  }
}
