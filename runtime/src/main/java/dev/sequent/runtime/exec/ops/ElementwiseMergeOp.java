package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Activation;
import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ElementwiseMerge;
import dev.sequent.model.layers.MergeOperator;
import dev.sequent.runtime.exec.ActivationBuffers;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.Elementwise;
import dev.sequent.runtime.exec.Epilogue;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.IntraOp;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallKernels;
import dev.sequent.runtime.exec.SmallOp;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The element-wise merges: a left fold of the operator over the inputs, into a new array (no input
 * is modified). Inputs of the output's shape fold with ND4J's own kernels on large batches; inputs
 * that broadcast (a squeeze-excite scale {@code [n,1,1,c]} against {@code [n,h,w,c]}) go through the
 * plain-Java kernel, which reads each input through strides that are 0 on its stretched axes, on
 * every batch size.
 */
public final class ElementwiseMergeOp implements LayerOpFactory<ElementwiseMerge> {

  @Override
  public Class<ElementwiseMerge> layerType() {
    return ElementwiseMerge.class;
  }

  @Override
  public BoundLayer bind(ElementwiseMerge m, InferredModel.Layer inferred, List<INDArray> params, OpContext context) {
    Shape output = inferred.outputShape();
    List<Shape> inputs = inferred.inputShapes();
    MergeOperator op = m.operator();
    Broadcast broadcast = new Broadcast(inputs, output);
    // an activation the plan folded in (a residual block's ReLU after its add)
    Activation act = context.epilogue().activation();
    SmallOp small = (in, n) -> {
      float[] y = broadcast.apply(op, in, n);
      Elementwise.activate(act, y, 0, output.withBatch(n));
      return y;
    };
    boolean same = ElementwiseMerge.sameShapes(inputs, output);
    // same-shaped inputs: one pass over the values either way, so the merge stays in a plain-Java
    // pass of larger layers (MobileNetV2's residual adds)
    int heapMaxBatch = BoundLayer.maxBatch(Elementwise.JAVA_LIMIT, output.size());
    int javaMaxBatch = Math.max(heapMaxBatch,
        same ? BoundLayer.maxBatch(SmallKernels.SAME_KERNEL_VALUES, (inputs.size() + 1) * output.size()) : 0);
    LayerOp nd4j;
    if (same) {
      nd4j = in -> {
        int n = (int) in.get(0).size(0);
        if (n <= heapMaxBatch) {
          return java(small, in, output, n);
        }
        if (op == MergeOperator.ADD) {
          return addInBlocks(in, act);
        }
        // the first operand copied into a reused buffer (ActivationBuffers), then the others folded in
        INDArray y = ActivationBuffers.take(in.get(0).shape()).assign(in.get(0));
        for (int i = 1; i < in.size(); i++) {
          y = fold(op, y, in.get(i));
        }
        y = in.size() > 1 && op == MergeOperator.AVERAGE ? y.divi(in.size()) : y;
        return Elementwise.applyInPlace(act, y);
      };
    } else {
      nd4j = in -> java(small, in, output, (int) in.get(0).size(0));
    }
    BoundLayer bound = new BoundLayer(nd4j, small, javaMaxBatch, same && javaMaxBatch > 0);
    // same-shaped inputs merge value by value, whatever the layout (a folded activation maps each value)
    return same && Elementwise.mapsEachValue(act) && javaMaxBatch > 0 ? bound.layoutFreeForm() : bound;
  }

  /**
   * A folded activation is applied to the merged values, so any per-value one can be: the merge
   * has no affine part to take, nor a pooling.
   */
  @Override
  public boolean absorbs(ElementwiseMerge m, InferredModel.Layer inferred, Epilogue e) {
    return !e.hasAffine() && !e.hasPooling() && Elementwise.mapsEachValue(e.activation());
  }

  /** Values per piece of work of {@link #addInBlocks}. */
  private static final int ADD_TASK = 1 << 16;

  /** Two heap blocks per thread for {@link #addInBlocks} (16 KB each: in L1 while worked on). */
  private static final ThreadLocal<float[][]> ADD_BLOCKS = ThreadLocal.withInitial(() -> new float[2][4096]);

  /**
   * The sum of same-shaped inputs and the folded activation in one pass, block by block through
   * heap copies and this JVM's kernels, the blocks shared among the pass's intra-op threads:
   * ND4J's copy and add and then the activation were three passes and two ND4J calls (a
   * ResNet-18 residual add and its ReLU at 224x224, batch 1: 0.44-0.87 and 0.28-0.71 ms each).
   */
  private static INDArray addInBlocks(List<INDArray> in, Activation act) {
    List<INDArray> xs = in.stream().map(Elementwise::contiguous).toList();
    List<FloatBuffer> from = xs.stream().map(Elementwise::buffer).toList();
    INDArray y = ActivationBuffers.take(xs.get(0).shape());
    FloatBuffer out = Elementwise.buffer(y);
    int n = Math.toIntExact(y.length());
    IntraOp.share((n + ADD_TASK - 1) / ADD_TASK, (long) n * xs.size(), t -> {
      float[][] blocks = ADD_BLOCKS.get();
      float[] acc = blocks[0];
      float[] next = blocks[1];
      for (int at = t * ADD_TASK, end = Math.min(n, at + ADD_TASK); at < end; at += acc.length) {
        int len = Math.min(acc.length, end - at);
        from.get(0).get(at, acc, 0, len);
        for (int k = 1; k < from.size(); k++) {
          from.get(k).get(at, next, 0, len);
          for (int j = 0; j < len; j++) {
            acc[j] += next[j];
          }
        }
        Elementwise.activate(act, acc, 0, new long[] {len});
        out.put(at, acc, 0, len);
      }
    });
    xs.forEach(java.lang.ref.Reference::reachabilityFence);
    java.lang.ref.Reference.reachabilityFence(y);
    return y;
  }

  private static INDArray java(SmallOp small, List<INDArray> in, Shape output, int n) {
    return FloatArrays.of(small.apply(in.stream().map(FloatArrays::copyOf).toList(), n), output.withBatch(n));
  }

  /** {@code y op x} into {@code y} (a copy owned here), by ND4J's kernel for the operator. */
  private static INDArray fold(MergeOperator op, INDArray y, INDArray x) {
    return switch (op) {
      case ADD, AVERAGE -> y.addi(x);
      case SUBTRACT -> y.subi(x);
      case MULTIPLY -> y.muli(x);
      case MAXIMUM -> Transforms.max(y, x, false);
      case MINIMUM -> Transforms.min(y, x, false);
    };
  }

  /**
   * The fold over inputs of broadcastable shapes: the output's axes (batch first), and for each
   * input its strides over them, 0 where the input has a dimension of 1 (or lacks the axis).
   */
  static final class Broadcast {
    private final int[] dims;
    private final int[][] strides;
    private final boolean same;

    Broadcast(List<Shape> inputs, Shape output) {
      dims = output.toArray();
      strides = new int[inputs.size()][];
      for (int k = 0; k < inputs.size(); k++) {
        Shape s = inputs.get(k);
        int lead = dims.length - s.rank();
        int[] st = new int[dims.length];
        int stride = 1;
        for (int a = dims.length - 1; a >= lead; a--) {
          int d = s.dim(a - lead);
          st[a] = d == 1 ? 0 : stride;
          stride *= d;
        }
        strides[k] = st;
      }
      same = ElementwiseMerge.sameShapes(inputs, output);
    }

    float[] apply(MergeOperator op, List<float[]> in, int n) {
      int per = 1;
      for (int d : dims) {
        per *= d;
      }
      float[] y = PassArrays.take(n * per);
      int count = in.size();
      if (same) {
        System.arraycopy(in.get(0), 0, y, 0, y.length);
        for (int k = 1; k < count; k++) {
          float[] x = in.get(k);
          if (op == MergeOperator.ADD || op == MergeOperator.AVERAGE) {
            // a plain add loop, which C2 vectorises (a residual connection's add, in every
            // Transformer block); through op.apply it stays one value at a time
            for (int j = 0; j < y.length; j++) {
              y[j] += x[j];
            }
          } else {
            for (int j = 0; j < y.length; j++) {
              y[j] = op.apply(y[j], x[j]);
            }
          }
        }
      } else {
        int[] index = new int[dims.length];
        int[] sizes = new int[count];
        for (int k = 0; k < count; k++) {
          sizes[k] = in.get(k).length / n;
        }
        for (int k = 0; k < count; k++) {
          float[] x = in.get(k);
          int[] st = strides[k];
          for (int b = 0; b < n; b++) {
            int base = b * sizes[k];
            int out = b * per;
            java.util.Arrays.fill(index, 0);
            int offset = 0;
            for (int j = 0; j < per; j++) {
              float v = x[base + offset];
              y[out + j] = k == 0 ? v : op.apply(y[out + j], v);
              // Advance the multi-index over the output's axes, last fastest.
              for (int a = dims.length - 1; a >= 0; a--) {
                if (++index[a] < dims[a]) {
                  offset += st[a];
                  break;
                }
                offset -= st[a] * (dims[a] - 1);
                index[a] = 0;
              }
            }
          }
        }
      }
      if (count > 1 && op == MergeOperator.AVERAGE) {
        for (int j = 0; j < y.length; j++) {
          y[j] = op.finish(y[j], count);
        }
      }
      return y;
    }
  }
}
