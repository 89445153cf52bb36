package dev.sequent.model.layers;

import dev.sequent.model.Framework;
import dev.sequent.model.LayerSpec;
import dev.sequent.model.Shape;
import dev.sequent.model.ShapeException;
import java.util.List;
import java.util.Optional;

/**
 * PyTorch's {@code F.scaled_dot_product_attention(query, key, value, attn_mask=None, is_causal=False,
 * scale=None)} ({@code torch/nn/functional.py}), a function called in a forward rather than a
 * module: {@code softmax(q @ k^T * scale + bias) @ v}, where {@code scale} defaults to {@code
 * 1/sqrt(E)} ({@code E} the last axis of query and key), the bias is {@code -inf} above the diagonal
 * when causal ({@code torch.ones(L, S).tril()}, aligned to the top-left corner as PyTorch's is) and
 * the float mask when one is given (added; PyTorch's boolean masks are not read). No parameters.
 *
 * <p>Inputs (sample shapes, batch axis not counted): query {@code (..., L, E)}, key {@code (..., S,
 * E)}, value {@code (..., S, Ev)}, the same leading axes (the heads) on all three, and optionally the
 * mask {@code (..., L, S)}, broadcast to the scores as NumPy does. Output {@code (..., L, Ev)}.
 *
 * @param causal {@code is_causal}
 * @param scale {@code scale}; empty for {@code 1/sqrt(E)}
 * @param masked whether a fourth input, the float {@code attn_mask}, is added to the scores
 */
public record ScaledDotProductAttention(Framework framework, boolean causal, Optional<Double> scale, boolean masked)
    implements LayerSpec {

  public ScaledDotProductAttention {
    if (causal && masked) {
      // PyTorch: "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"
      throw new ShapeException("is_causal", "attn_mask and is_causal=True cannot both be given (PyTorch refuses "
          + "them together)");
    }
    if (scale.isPresent() && !Double.isFinite(scale.get())) {
      throw new ShapeException("scale", "scale must be a finite number. Received: " + scale.get());
    }
  }

  @Override
  public String typeName() {
    return ScaledDotProductAttentionKind.TORCH_NAME;
  }

  @Override
  public int arity() {
    return masked ? 4 : 3;
  }

  /** The scale applied to {@code q . k} for query and key of {@code depth} features. */
  public double scaleFor(int depth) {
    return scale.orElse(1.0 / Math.sqrt(depth));
  }

  @Override
  public Shape outputShape(List<Shape> inputs) {
    if (inputs.size() != arity()) {
      throw new ShapeException("scaled_dot_product_attention takes " + arity() + " inputs (query, key, value"
          + (masked ? ", attn_mask" : "") + "), received " + inputs.size());
    }
    Shape q = inputs.get(0);
    Shape k = inputs.get(1);
    Shape v = inputs.get(2);
    if (q.rank() < 2 || k.rank() != q.rank() || v.rank() != q.rank()) {
      throw new ShapeException("query, key and value must have the same rank, at least 2 (batch axis not "
          + "counted). Received: query " + q + ", key " + k + ", value " + v);
    }
    int r = q.rank();
    for (int i = 0; i < r - 2; i++) {
      if (q.dim(i) != k.dim(i) || q.dim(i) != v.dim(i)) {
        throw new ShapeException("query, key and value must have the same leading axes. Received: query " + q
            + ", key " + k + ", value " + v);
      }
    }
    if (q.dim(r - 1) != k.dim(r - 1)) {
      throw new ShapeException("query and key must have the same last axis (E). Received: query " + q + ", key "
          + k);
    }
    if (k.dim(r - 2) != v.dim(r - 2)) {
      throw new ShapeException("key and value must have the same number of positions (S). Received: key " + k
          + ", value " + v);
    }
    if (masked) {
      Shape m = inputs.get(3);
      Shape scores = q.with(r - 1, k.dim(r - 2));
      if (m.rank() > r) {
        throw new ShapeException("attn_mask " + m + " has more axes than the scores " + scores);
      }
      for (int i = 1; i <= m.rank(); i++) {
        int d = m.dim(m.rank() - i);
        if (d != 1 && d != scores.dim(r - i)) {
          throw new ShapeException("attn_mask " + m + " does not broadcast to the scores " + scores
              + " (query positions, key positions last)");
        }
      }
    }
    return q.with(r - 1, v.dim(r - 1));
  }

  @Override
  public long multAdds(List<Shape> inputs, Shape output) {
    Shape q = inputs.get(0);
    Shape k = inputs.get(1);
    long scores = q.size() / q.last() * k.dim(k.rank() - 2);
    return scores * q.last() + scores * output.last();
  }
}
