package dev.sequent.runtime.exec.ops;

import dev.sequent.model.Framework;
import dev.sequent.model.InferredModel;
import dev.sequent.model.ParamSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.kind.ParamArray;
import dev.sequent.model.layers.MultiHeadAttention;
import dev.sequent.model.layers.MultiHeadAttention.Role;
import dev.sequent.model.layers.MultiHeadAttentionKind;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.JavaKernels;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.NdArrays;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.PassArrays;
import dev.sequent.runtime.exec.SmallOp;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head attention ({@link MultiHeadAttention}). The weights are bound once in Keras' form
 * (kernels {@code (in, heads * dim)}, the row-major view of {@code (in, heads, dim)}), a PyTorch
 * layer's converted by its kind ({@link MultiHeadAttentionKind#toKeras}). Each of the four
 * projections is one matrix product over every step of every sample ({@code (n*T, in) x (in, H*D)}),
 * in plain Java ({@link JavaKernels#dense}, the kernels packed at bind time) when small, as at batch 1, and through ND4J's gemm
 * otherwise. The attention itself, per sample and head a {@code (Tq, Tk)} score matrix, its
 * softmax and the weighted sum of values, is plain Java on both paths: it is many small products
 * (one per sample and head), where one ND4J call each would cost more than the arithmetic. Each
 * is one {@link JavaKernels#dense} on the head's queries, keys and values gathered into
 * contiguous blocks (the keys transposed), and the softmax one {@link JavaKernels#softmaxRows} over
 * the head's score matrix.
 *
 * <p>Scores: {@code q . k / sqrt(key_dim)}, then the masks: a Keras {@code attention_mask} or the
 * causal mask sets the positions it drops to -1e9 (Keras' large negative number for float32,
 * so a row with every key masked averages them all, as Keras' masked softmax does), a PyTorch
 * float mask is added. The softmax subtracts the row's maximum.
 */
public final class MultiHeadAttentionOp implements LayerOpFactory<MultiHeadAttention> {
  /** Multiply-adds of one projection below which it runs in Java (as {@link RecurrentOp#JAVA_PRODUCT_LIMIT}). */
  public static final long JAVA_PRODUCT_LIMIT = 1 << 22;
  /** Multiply-adds per sample below which the whole layer takes the plain-Java path of the plan. */
  public static final long JAVA_LAYER_LIMIT = 1 << 24;
  /** The same with SIMD kernels ({@link JavaKernels#simd}). */
  public static final long JAVA_LAYER_LIMIT_SIMD = 1 << 27;
  /** What Keras adds where its mask drops a position ({@code _large_negative_number} of float32). */
  static final float KERAS_MASKED = -1e9f;

  private final long productLimit;
  private final long layerLimit;

  public MultiHeadAttentionOp() {
    this(JAVA_PRODUCT_LIMIT, JavaKernels.active().simd() ? JAVA_LAYER_LIMIT_SIMD : JAVA_LAYER_LIMIT);
  }

  /** With other limits: tests force the ND4J products on small layers. */
  MultiHeadAttentionOp(long productLimit, long layerLimit) {
    this.productLimit = productLimit;
    this.layerLimit = layerLimit;
  }

  @Override
  public Class<MultiHeadAttention> layerType() {
    return MultiHeadAttention.class;
  }

  /** One projection: {@code x (rows, in) @ kernel (in, cols) + bias}. */
  private record Projection(int in, int cols, JavaKernels.PackedKernel kernel, INDArray kernelNd, float[] bias) {}

  @Override
  public BoundLayer bind(MultiHeadAttention a, InferredModel.Layer inferred, List<INDArray> params,
      OpContext context) {
    List<Shape> in = inferred.inputShapes();
    List<ParamSpec> specs = inferred.params();
    List<ParamArray> stored = new ArrayList<>(params.size());
    for (int i = 0; i < params.size(); i++) {
      stored.add(new ParamArray(specs.get(i).shape(a.framework()), FloatArrays.copyOf(params.get(i))));
    }
    List<ParamArray> keras = a.framework() == Framework.TORCH ? MultiHeadAttentionKind.toKeras(a, in, stored) : stored;
    Projection[] p = new Projection[4];
    int at = 0;
    for (int i = 0; i < 4; i++) {
      ParamArray kernel = keras.get(at++);
      int rows = i == 3 ? kernel.shape().dim(0) * kernel.shape().dim(1) : kernel.shape().dim(0);
      int cols = (int) (kernel.shape().size() / rows);
      float[] bias = a.useBias() ? keras.get(at++).data() : null;
      p[i] = new Projection(rows, cols, JavaKernels.active().pack(kernel.data(), rows, cols),
          FloatArrays.of(kernel.data(), rows, cols), bias);
    }
    Shape q = in.get(0);
    int tq = q.dim(0);
    int tk = in.get(a.keyInput()).dim(0);
    Shape output = inferred.outputShape();
    Runner runner = new Runner(a, p, tq, tk, in.get(0).last(), productLimit);
    long perSample = a.multAdds(in, output);
    int javaMaxBatch = BoundLayer.maxBatch(layerLimit, perSample);
    SmallOp small = (inputs, n) -> runner.run(inputs, n, false);
    LayerOp nd4j = inputs -> {
      int n = Math.toIntExact(inputs.get(0).size(0));
      List<float[]> arrays = new ArrayList<>(inputs.size());
      inputs.forEach(x -> arrays.add(FloatArrays.copyOf(x)));
      return FloatArrays.of(runner.run(arrays, n, true), n, tq, output.last());
    };
    return javaMaxBatch > 0 ? new BoundLayer(nd4j, small, javaMaxBatch) : BoundLayer.nd4jOnly(nd4j);
  }

  /** The bound layer's forward pass on row-major arrays. */
  private static final class Runner {
    final MultiHeadAttention a;
    final Projection[] p;
    final int tq;
    final int tk;
    final int heads;
    final int dk;
    final int dv;
    final long productLimit;
    final int mask;
    final int padding;
    final boolean additive;
    final float scale;

    Runner(MultiHeadAttention a, Projection[] p, int tq, int tk, int eq, long productLimit) {
      this.a = a;
      this.p = p;
      this.tq = tq;
      this.tk = tk;
      this.heads = a.heads();
      this.dk = a.keyDim();
      this.dv = a.valueDim();
      this.productLimit = productLimit;
      this.mask = a.indexOf(Role.ATTENTION_MASK);
      this.padding = a.indexOf(Role.KEY_PADDING_MASK);
      this.additive = a.framework() == Framework.TORCH;
      this.scale = (float) (1 / Math.sqrt(dk));
    }

    /**
     * Sample {@code b}'s scores of one head scaled and masked in place: a causal mask or a Keras
     * {@code attention_mask} sets the positions it drops to {@link #KERAS_MASKED} (PyTorch's causal
     * mask to negative infinity), a PyTorch float mask is added.
     */
    private void maskScores(float[] scores, int b, float[] m, float[] pad) {
      for (int i = 0; i < tq; i++) {
        int row = i * tk;
        for (int j = 0; j < tk; j++) {
          float s = scores[row + j] * scale;
          if (additive) {
            if (a.causal() && j > i) {
              s = Float.NEGATIVE_INFINITY;
            }
            if (m != null) {
              s += m[(b * tq + i) * tk + j];
            }
            if (pad != null) {
              s += pad[b * tk + j];
            }
          } else if ((a.causal() && j > i) || (m != null && m[(b * tq + i) * tk + j] == 0f)) {
            s = KERAS_MASKED;
          }
          scores[row + j] = s;
        }
      }
    }

    float[] run(List<float[]> inputs, int n, boolean nd4jAllowed) {
      float[] q = project(p[0], inputs.get(0), n * tq, nd4jAllowed);
      float[] k = project(p[1], inputs.get(a.keyInput()), n * tk, nd4jAllowed);
      float[] v = project(p[2], inputs.get(a.valueInput()), n * tk, nd4jAllowed);
      float[] m = mask >= 0 ? inputs.get(mask) : null;
      float[] pad = padding >= 0 ? inputs.get(padding) : null;
      boolean masked = a.causal() || m != null || pad != null;
      int hk = heads * dk;
      int hv = heads * dv;
      JavaKernels kernels = JavaKernels.active();
      float[] context = PassArrays.take(n * tq * hv);
      // Per sample and head, the head's queries, keys (transposed) and values gathered into
      // contiguous blocks, so the scores and the weighted sum are two dense products each.
      float[] qh = new float[tq * dk];
      float[] kt = new float[dk * tk];
      float[] vh = new float[tk * dv];
      float[] scores = new float[tq * tk];
      float[] ctx = new float[tq * dv];
      for (int b = 0; b < n; b++) {
        for (int h = 0; h < heads; h++) {
          for (int i = 0; i < tq; i++) {
            System.arraycopy(q, (b * tq + i) * hk + h * dk, qh, i * dk, dk);
          }
          for (int j = 0; j < tk; j++) {
            int ko = (b * tk + j) * hk + h * dk;
            for (int d = 0; d < dk; d++) {
              kt[d * tk + j] = k[ko + d];
            }
            System.arraycopy(v, (b * tk + j) * hv + h * dv, vh, j * dv, dv);
          }
          kernels.dense(qh, tq, dk, kt, null, tk, scores);
          if (masked) {
            maskScores(scores, b, m, pad);
            kernels.softmaxRows(scores, 0, tq, tk, 1f);
          } else {
            kernels.softmaxRows(scores, 0, tq, tk, scale);
          }
          kernels.dense(scores, tq, tk, vh, null, dv, ctx);
          for (int i = 0; i < tq; i++) {
            System.arraycopy(ctx, i * dv, context, (b * tq + i) * hv + h * dv, dv);
          }
        }
      }
      PassArrays.give(q);
      PassArrays.give(k);
      PassArrays.give(v);
      float[] out = project(p[3], context, n * tq, nd4jAllowed);
      PassArrays.give(context);
      return out;
    }

    /** {@code x (rows, in) @ kernel + bias}, in Java or (when allowed and large) through ND4J's gemm. */
    private float[] project(Projection pr, float[] x, int rows, boolean nd4jAllowed) {
      if (!nd4jAllowed || (long) rows * pr.in() * pr.cols() < productLimit) {
        float[] y = PassArrays.take(rows * pr.cols());
        JavaKernels.active().dense(x, rows, pr.kernel(), pr.bias(), y);
        return y;
      }
      INDArray xa = FloatArrays.of(x, rows, pr.in());
      INDArray y = NdArrays.uninitialized(new long[] {rows, pr.cols()});
      Nd4j.gemm(xa, pr.kernelNd(), y, false, false, 1.0, 0.0);
      float[] out = FloatArrays.copyOf(y);
      if (pr.bias() != null) {
        int cols = pr.cols();
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            out[r * cols + c] += pr.bias()[c];
          }
        }
      }
      return out;
    }
  }
}
