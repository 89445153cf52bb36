package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code MultiHeadAttention(num_heads, key_dim, value_dim=None, use_bias=True,
 * output_shape=None)} called as {@code mha(query, value, key, attention_mask=...,
 * use_causal_mask=...)} on {@code (time, features)} inputs; dropout does nothing at inference.
 * {@code from} names the query, then optionally the value and the key (a missing value is the
 * query, a missing key the value); without {@code from} the layer attends over the previous layer
 * (self-attention). With {@code attentionMask = true} the last name of {@code from} is the
 * {@code (query time, key time)} mask, non-zero where a query may attend. Output
 * {@code (query time, outputShape)}, {@code outputShape} the query's features when 0.
 * Weights: {@code query/kernel (Eq, heads, keyDim)}, {@code key/kernel (Ek, heads, keyDim)},
 * {@code value/kernel (Ev, heads, valueDim)}, {@code attention_output/kernel (heads, valueDim, O)}
 * and their biases.
 *
 * <pre>{@code
 * @MultiHeadAttention(numHeads = 2, keyDim = 8, from = {"x", "x"})             Layer mha();
 * @MultiHeadAttention(numHeads = 4, keyDim = 16, useCausalMask = true)          Layer causal();
 * @MultiHeadAttention(numHeads = 2, keyDim = 8, from = {"dec", "enc", "mask"}, attentionMask = true) Layer cross();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MultiHeadAttention {
  /** num_heads; the default 0 only lets {@code @Bind} give it inside a block (0 is refused). */
  int numHeads() default 0;

  /** The size of each head of query and key; the default 0 only lets {@code @Bind} give it (0 is refused). */
  int keyDim() default 0;

  /** The size of each head of value; 0: {@code keyDim}. */
  int valueDim() default 0;

  boolean useBias() default true;

  /** The output features; 0: the query's. */
  int outputShape() default 0;

  /** Keras' {@code use_causal_mask=True}: query {@code i} attends to keys {@code j <= i}. */
  boolean useCausalMask() default false;

  /** Whether the last name of {@code from} is an {@code attention_mask}. */
  boolean attentionMask() default false;

  /** The query, value, key (and mask) layers; empty: self-attention over the previous layer. */
  String[] from() default {};
}
