package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.TensorOperand;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Arithmetic with a held tensor ({@link TensorOperand}). At bind time the tensor is broadcast once
 * to the whole output sample, and each output position's input position found (the input repeats
 * where it broadcasts). Small batches: a plain-Java loop. Large ones: where the input is not
 * repeated (its sample is the output's, the usual case), ND4J's row-vector operation of the
 * {@code (n, size)} view with the broadcast tensor; otherwise the Java loop.
 */
public final class TensorOperandOp implements LayerOpFactory<TensorOperand> {
  private final long javaLimit;

  public TensorOperandOp() {
    this(Elementwise.JAVA_LIMIT);
  }

  /** With another limit on the values per batch computed in Java: tests force the ND4J path. */
  TensorOperandOp(long javaLimit) {
    this.javaLimit = javaLimit;
  }

  @Override
  public Class<TensorOperand> layerType() {
    return TensorOperand.class;
  }

  @Override
  public BoundLayer bind(TensorOperand t, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape in = inferred.inputShapes().get(0);
    Shape out = inferred.outputShape();
    Shape operand = t.operandShape(in.rank());
    float[] values = FloatArrays.copyOf(params.get(0));
    int per = (int) out.size();
    int perIn = (int) in.size();
    int[] inIndex = new int[per];
    float[] broadcast = new float[per];
    int rank = out.rank();
    int[] index = new int[rank];
    for (int p = 0; p < per; p++) {
      int rest = p;
      for (int a = rank - 1; a >= 0; a--) {
        index[a] = rest % out.dim(a);
        rest /= out.dim(a);
      }
      inIndex[p] = offset(index, in, rank);
      broadcast[p] = values[offset(index, operand, rank)];
    }
    boolean repeated = perIn != per;
    SmallOp small = (inputs, n) -> {
      float[] x = inputs.get(0);
      float[] y = new float[n * per];
      for (int b = 0; b < n; b++) {
        for (int p = 0; p < per; p++) {
          y[b * per + p] = t.apply(x[b * perIn + inIndex[p]], broadcast[p]);
        }
      }
      return y;
    };
    INDArray row = FloatArrays.of(broadcast, 1, per);
    int javaMaxBatch = BoundLayer.maxBatch(javaLimit, per);
    LayerOp nd4j = inputs -> {
      INDArray x = inputs.get(0);
      int n = (int) x.size(0);
      if (n <= javaMaxBatch || repeated) {
        return FloatArrays.of(small.apply(List.of(FloatArrays.copyOf(x)), n), out.withBatch(n));
      }
      INDArray flat = x.dup('c').reshape('c', n, per);
      INDArray y = switch (t.operator()) {
        case ADD -> flat.addiRowVector(row);
        case MULTIPLY -> flat.muliRowVector(row);
        case SUBTRACT -> t.tensorFirst() ? flat.rsubiRowVector(row) : flat.subiRowVector(row);
        case DIVIDE -> t.tensorFirst() ? flat.rdiviRowVector(row) : flat.diviRowVector(row);
      };
      return y.reshape('c', out.withBatch(n));
    };
    return new BoundLayer(nd4j, small, javaMaxBatch);
  }

  /** The row-major offset in {@code shape} (right-aligned to {@code rank} output axes; size-1 axes broadcast). */
  private static int offset(int[] index, Shape shape, int rank) {
    int offset = 0;
    int stride = 1;
    for (int i = 1; i <= shape.rank(); i++) {
      int d = shape.dim(shape.rank() - i);
      if (d != 1) {
        offset += index[rank - i] * stride;
      }
      stride *= d;
    }
    return offset;
  }
}
