package dev.sequent.examples.torch.transformer;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.Functional;
import dev.sequent.dsl.If;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.torch.Dropout;
import dev.sequent.dsl.torch.GELU;
import dev.sequent.dsl.torch.LayerNorm;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.MultiheadAttention;

/**
 * PyTorch's {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, activation="gelu",
 * batch_first=True, norm_first=...)}: its members are the module's ({@code self_attn},
 * {@code linear1}, {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2},
 * {@code dropout1}, {@code dropout2}), so the state_dict names come from the structure
 * ({@code layers.0.self_attn.in_proj_weight}). As in PyTorch's {@code forward}:
 *
 * <pre>
 * norm_first:  x = x + dropout1(self_attn(norm1(x))); x = x + ff(norm2(x))
 * otherwise:   x = norm1(x + dropout1(self_attn(x))); x = norm2(x + ff(x))
 * ff(x) = dropout2(linear2(dropout(gelu(linear1(x)))))
 * </pre>
 *
 * Each norm is declared at both of its places, under {@code @If}; the one that applies holds the name.
 */
@Block(params = {"int d_model", "int nhead", "int dim_feedforward", "boolean norm_first = false"},
    name = "TransformerEncoderLayer")
public interface TransformerEncoderLayer {
  @If("norm_first") @Name("norm1") @LayerNorm({}) @Bind("value = d_model")              Layer norm1First();
  @MultiheadAttention(batchFirst = true) @Bind("embedDim = d_model, numHeads = nhead")  Layer self_attn();
  @Dropout                                                                              Layer dropout1();
  @Add(from = {"input", "dropout1"})                                                    Layer add1();
  @If("!norm_first") @LayerNorm({}) @Bind("value = d_model")                            Layer norm1();
  /** What the second residual adds to: norm1's output, or (norm_first) the first sum itself. */
  @If("norm_first") @Dropout @Functional                                                Layer residual();
  @If("norm_first") @Name("norm2") @LayerNorm({}) @Bind("value = d_model")              Layer norm2First();
  @Linear @Bind("out = dim_feedforward")                                                Layer linear1();
  @GELU @Functional                                                                     Layer activation();
  @Dropout                                                                              Layer dropout();
  @Linear @Bind("out = d_model")                                                        Layer linear2();
  @Dropout                                                                              Layer dropout2();
  @Add(from = {"residual", "dropout2"})                                                 Layer add2();
  @If("!norm_first") @LayerNorm({}) @Bind("value = d_model")                            Layer norm2();
}
