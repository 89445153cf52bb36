package dev.sequent.runtime.exec.ops;

import dev.sequent.model.InferredModel;
import dev.sequent.model.Shape;
import dev.sequent.model.layers.ScaledDotProductAttention;
import dev.sequent.runtime.exec.BoundLayer;
import dev.sequent.runtime.exec.FloatArrays;
import dev.sequent.runtime.exec.LayerOp;
import dev.sequent.runtime.exec.LayerOpFactory;
import dev.sequent.runtime.exec.OpContext;
import dev.sequent.runtime.exec.SmallOp;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code F.scaled_dot_product_attention} ({@link ScaledDotProductAttention}): per sample and leading
 * index (head) a {@code (L, S)} score matrix {@code q . k * scale}, the causal {@code -inf} above
 * the diagonal or the float mask added, a softmax (row maximum subtracted, summed in double) and the
 * weighted sum of values. As in {@link MultiHeadAttentionOp}, the arithmetic is plain Java on both
 * paths: it is many small products (one per sample and head), where one ND4J call each would cost
 * more than the products; the ND4J path differs only in taking and giving {@link INDArray}s. A row
 * whose every score is {@code -inf} gives NaN, as PyTorch's math does.
 */
public final class ScaledDotProductAttentionOp implements LayerOpFactory<ScaledDotProductAttention> {
  /** Multiply-adds per sample below which the layer takes the plain-Java path of the plan. */
  public static final long JAVA_LAYER_LIMIT = 1 << 24;

  @Override
  public Class<ScaledDotProductAttention> layerType() {
    return ScaledDotProductAttention.class;
  }

  @Override
  public BoundLayer bind(ScaledDotProductAttention a, InferredModel.Layer inferred, List<INDArray> params,
      OpContext context) {
    List<Shape> in = inferred.inputShapes();
    Shape q = in.get(0);
    int r = q.rank();
    int heads = (int) (q.size() / ((long) q.dim(r - 2) * q.dim(r - 1)));
    int l = q.dim(r - 2);
    int e = q.dim(r - 1);
    int s = in.get(1).dim(r - 2);
    int ev = in.get(2).dim(r - 1);
    float scale = (float) a.scaleFor(e);
    // the mask's element for (head h, query i, key j): its strides over the scores' axes, 0 where broadcast
    int[] maskStrides = a.masked() ? maskStrides(in.get(3), q.with(r - 1, s)) : null;
    int maskPer = a.masked() ? (int) in.get(3).size() : 0;
    int[] scoreDims = q.with(r - 1, s).toArray();
    Shape output = inferred.outputShape();
    int outPer = (int) output.size();
    SmallOp small = (inputs, n) -> {
      float[] qs = inputs.get(0);
      float[] ks = inputs.get(1);
      float[] vs = inputs.get(2);
      float[] m = a.masked() ? inputs.get(3) : null;
      float[] y = new float[n * outPer];
      float[] scores = new float[s];
      int[] index = new int[scoreDims.length];
      for (int b = 0; b < n; b++) {
        for (int h = 0; h < heads; h++) {
          int qb = (b * heads + h) * l * e;
          int kb = (b * heads + h) * s * e;
          int vb = (b * heads + h) * s * ev;
          int yb = (b * heads + h) * l * ev;
          for (int i = 0; i < l; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < s; j++) {
              float dot = 0;
              for (int d = 0; d < e; d++) {
                dot += qs[qb + i * e + d] * ks[kb + j * e + d];
              }
              float score = dot * scale;
              if (a.causal() && j > i) {
                score = Float.NEGATIVE_INFINITY;
              }
              if (m != null) {
                score += m[b * maskPer + maskOffset(maskStrides, scoreDims, index, h, i, j)];
              }
              scores[j] = score;
              max = Math.max(max, score);
            }
            double sum = 0;
            for (int j = 0; j < s; j++) {
              double w = Math.exp(scores[j] - max);
              scores[j] = (float) w;
              sum += w;
            }
            for (int j = 0; j < s; j++) {
              scores[j] = (float) (scores[j] / sum);
            }
            for (int d = 0; d < ev; d++) {
              float acc = 0;
              for (int j = 0; j < s; j++) {
                acc += scores[j] * vs[vb + j * ev + d];
              }
              y[yb + i * ev + d] = acc;
            }
          }
        }
      }
      return y;
    };
    LayerOp nd4j = inputs -> {
      int n = Math.toIntExact(inputs.get(0).size(0));
      List<float[]> arrays = new ArrayList<>(inputs.size());
      inputs.forEach(x -> arrays.add(FloatArrays.copyOf(x)));
      return FloatArrays.of(small.apply(arrays, n), output.withBatch(n));
    };
    int javaMaxBatch = BoundLayer.maxBatch(JAVA_LAYER_LIMIT, Math.max(1, a.multAdds(in, output)));
    return new BoundLayer(nd4j, small, javaMaxBatch);
  }

  /** The mask's strides over the score axes ({@code scores} right-aligned with the mask), 0 where it broadcasts. */
  private static int[] maskStrides(Shape mask, Shape scores) {
    int r = scores.rank();
    int[] strides = new int[r];
    int stride = 1;
    for (int i = 1; i <= mask.rank(); i++) {
      int d = mask.dim(mask.rank() - i);
      strides[r - i] = d == 1 ? 0 : stride;
      stride *= d;
    }
    return strides;
  }

  /** The mask offset of head {@code h} (a flat index over the leading axes), query {@code i}, key {@code j}. */
  private static int maskOffset(int[] strides, int[] dims, int[] index, int h, int i, int j) {
    int r = dims.length;
    int offset = i * strides[r - 2] + j * strides[r - 1];
    for (int a = r - 3; a >= 0; a--) {
      index[a] = h % dims[a];
      h /= dims[a];
      offset += index[a] * strides[a];
    }
    return offset;
  }
}
