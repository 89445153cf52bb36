package dev.sequent.examples.keras.transformer;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.GlobalAveragePooling1D;

/**
 * The Keras-vocabulary twin of fixtures/attention's {@code torch_encoder}: a Dense input
 * projection, two post-norm encoder layers of Keras MultiHeadAttention / LayerNormalization /
 * Dense(gelu), GlobalAveragePooling1D and a Dense head. It loads PyTorch's state_dict, and its
 * {@code .weights.h5} loads into the PyTorch-vocabulary {@code TorchEncoder}.
 */
@Module(input = {6, 5})
public interface KerasEncoder {
  @Dense(units = 16)                                                                  Layer project();
  @Use(value = Encoder.class, args = "d_model = 16, heads = 4, dim_feedforward = 32") Layer encoder();
  @GlobalAveragePooling1D                                                             Layer pooled();
  @Dense(units = 3)                                                                   Layer head();
}
