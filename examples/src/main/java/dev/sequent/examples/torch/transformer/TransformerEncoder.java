package dev.sequent.examples.torch.transformer;

import dev.sequent.dsl.Block;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Stage;

/**
 * PyTorch's {@code nn.TransformerEncoder(encoder_layer, num_layers=2)} (no final norm): its
 * {@code layers} ModuleList of two {@link TransformerEncoderLayer}s.
 */
@Block(params = {"int d_model", "int nhead", "int dim_feedforward", "boolean norm_first = false"},
    name = "TransformerEncoder")
public interface TransformerEncoder {
  @Stage(block = TransformerEncoderLayer.class, count = 2, name = "ModuleList",
      args = "d_model = d_model, nhead = nhead, dim_feedforward = dim_feedforward, norm_first = norm_first")
  Layer layers();
}
