package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.MultiheadAttention(embed_dim, num_heads, bias=True, batch_first=False,
 * kdim=None, vdim=None)} called as {@code mha(query, key, value, key_padding_mask=...,
 * attn_mask=..., is_causal=...)[0]} (the attention output; dropout does nothing at inference).
 * Sequent's batches are batch-first whatever {@code batchFirst} says: it only records how the
 * module is declared. {@code from} names the query, key and value; without it the layer attends
 * over the previous layer ({@code self_attn(x, x, x)}, as {@code nn.TransformerEncoderLayer}).
 * {@code keyPaddingMask} and {@code attnMask} add inputs after them, in that order: float masks
 * added to the scores, {@code (key time)} and {@code (query time, key time)}. {@code isCausal}
 * applies {@code nn.Transformer.generate_square_subsequent_mask}. {@code embedDim} must be
 * divisible by {@code numHeads}. Weights: {@code in_proj_weight (3E, E)} (or
 * {@code q_proj_weight}, {@code k_proj_weight (E, kdim)}, {@code v_proj_weight (E, vdim)}),
 * {@code in_proj_bias (3E)}, {@code out_proj.weight (E, E)}, {@code out_proj.bias (E)}.
 *
 * <pre>{@code
 * @MultiheadAttention(embedDim = 16, numHeads = 4, batchFirst = true)                    Layer self_attn();
 * @MultiheadAttention(embedDim = 16, numHeads = 2, kdim = 6, vdim = 6, from = {"q", "mem", "mem"}) Layer cross();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MultiheadAttention {
  /** embed_dim; the default 0 only lets {@code @Bind} give it inside a block (0 is refused). */
  int embedDim() default 0;

  /** num_heads; the default 0 only lets {@code @Bind} give it inside a block (0 is refused). */
  int numHeads() default 0;

  boolean bias() default true;

  boolean batchFirst() default false;

  /** The key's features; 0: {@code embedDim}. */
  int kdim() default 0;

  /** The value's features; 0: {@code embedDim}. */
  int vdim() default 0;

  /** {@code is_causal=True} with the square subsequent mask. */
  boolean isCausal() default false;

  /** Whether {@code from} ends with a {@code key_padding_mask} (before an {@code attn_mask}). */
  boolean keyPaddingMask() default false;

  /** Whether {@code from} ends with an {@code attn_mask}. */
  boolean attnMask() default false;

  /** The query, key and value layers, then the masks; empty: self-attention over the previous layer. */
  String[] from() default {};
}
