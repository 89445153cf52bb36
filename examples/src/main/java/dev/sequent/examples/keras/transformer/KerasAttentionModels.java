package dev.sequent.examples.keras.transformer;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.keras.MultiHeadAttention;

/** Keras-vocabulary twins of fixtures/attention's self-attention cases (Keras' and PyTorch's). */
public final class KerasAttentionModels {
  private KerasAttentionModels() {}

  /** {@code keras_self}, and the twin of {@code torch_self}: {@code MultiHeadAttention(2, key_dim=4)(x, x)}. */
  @Module(input = {6, 8})
  public interface SelfAttention {
    @MultiHeadAttention(numHeads = 2, keyDim = 4, from = {"input", "input"}) Layer mha();
  }

  /** {@code keras_causal}, and the twin of {@code torch_causal}. */
  @Module(input = {6, 8})
  public interface CausalAttention {
    @MultiHeadAttention(numHeads = 4, keyDim = 2, useCausalMask = true) Layer mha();
  }
}
