package dev.sequent.examples.keras.transformer;

import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Stage;

/** Two {@link EncoderLayer}s, as PyTorch's {@code TransformerEncoder.layers}. */
@Block(params = {"int d_model", "int heads", "int dim_feedforward"}, name = "TransformerEncoder")
public interface Encoder {
  @Stage(block = EncoderLayer.class, count = 2, name = "ModuleList",
      args = "d_model = d_model, heads = heads, dim_feedforward = dim_feedforward")
  Layer layers();
}
