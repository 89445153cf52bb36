package dev.sequent.examples.torch.transformer;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.Mean;

/**
 * fixtures/attention's {@code torch_encoder}: a Linear input projection,
 * {@code nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, activation="gelu",
 * batch_first=True), num_layers=2)}, the mean over time and a Linear head.
 */
@Module(input = {6, 5})
public interface TorchEncoder {
  @Linear(out = 16)                                                                             Layer project();
  @Use(value = TransformerEncoder.class, args = "d_model = 16, nhead = 4, dim_feedforward = 32") Layer encoder();
  @Mean(dim = 1)                                                                                Layer pooled();
  @Linear(out = 3)                                                                              Layer head();
}
