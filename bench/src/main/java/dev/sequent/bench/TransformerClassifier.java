package dev.sequent.bench;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.Mean;
import dev.sequent.examples.torch.transformer.TransformerEncoder;

/**
 * The benchmark's Transformer row (bench/prepare.py {@code transformer_classifier}): PyTorch's
 * {@code nn.TransformerEncoder} of two {@code TransformerEncoderLayer(64, 4, 128, activation="gelu",
 * batch_first=True)} over 32 steps (examples' block, so the state_dict pairs by name), the mean
 * over time and a Linear head.
 */
@Module(input = {32, 64})
public interface TransformerClassifier {
  @Use(value = TransformerEncoder.class, args = "d_model = 64, nhead = 4, dim_feedforward = 128") Layer encoder();
  @Mean(dim = 1) Layer pooled();
  @Linear(out = 10) Layer head();
}
