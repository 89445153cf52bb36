package dev.sequent.dsl.torch;

import dev.sequent.model.layers.ScaledDotProductAttentionKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code F.scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, scale=None)} in a
 * PyTorch {@code forward}: {@code softmax(q @ k.transpose(-2, -1) * scale + mask) @ v}. Query {@code
 * (..., L, E)}, key {@code (..., S, E)}, value {@code (..., S, Ev)} (the same leading axes, e.g.
 * heads), a fourth layer in {@code from} is the float {@code attn_mask} {@code (..., L, S)}, added
 * to the scores. Output {@code (..., L, Ev)}. Code, not a module: no parameters.
 *
 * <pre>{@code @ScaledDotProductAttention(from = {"q", "k", "v"}, isCausal = true) Layer attn();  // [2, 5, 8]}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ScaledDotProductAttention {
  /** Query, key, value and optionally the float mask. */
  String[] from();

  boolean isCausal() default ScaledDotProductAttentionKind.IS_CAUSAL;

  /** The factor applied to {@code q . k}; not a number (the default) for {@code 1 / sqrt(E)}. */
  double scale() default ScaledDotProductAttentionKind.DEFAULT_SCALE;
}
