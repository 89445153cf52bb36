package dev.sequent.examples.keras.transformer;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Bind;
import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.LayerNormalization;
import dev.sequent.dsl.keras.MultiHeadAttention;

/**
 * A post-norm Transformer encoder layer in Keras layers: self-attention, a residual sum, layer
 * normalisation, a gelu feed-forward and a second residual and normalisation. Its members carry
 * the names of PyTorch's {@code nn.TransformerEncoderLayer} (norm_first=False), whose computation
 * it is, so that a PyTorch state_dict pairs with it by name ({@code layers.0.self_attn.in_proj_weight}
 * is this {@code self_attn}'s three projections) and its own PyTorch names are PyTorch's.
 */
@Block(params = {"int d_model", "int heads", "int dim_feedforward"}, name = "TransformerEncoderLayer")
public interface EncoderLayer {
  @MultiHeadAttention @Bind("numHeads = heads, keyDim = d_model / heads")  Layer self_attn();
  @Add(from = {"input", "self_attn"})                                      Layer add1();
  @LayerNormalization(epsilon = 1e-5)                                      Layer norm1();
  @Dense(units = 0, activation = "gelu") @Bind("units = dim_feedforward")  Layer linear1();
  @Dense(units = 0) @Bind("units = d_model")                               Layer linear2();
  @Add(from = {"norm1", "linear2"})                                        Layer add2();
  @LayerNormalization(epsilon = 1e-5)                                      Layer norm2();
}
