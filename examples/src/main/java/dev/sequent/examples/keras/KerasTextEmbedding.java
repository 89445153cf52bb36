package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Embedding;
import dev.sequent.dsl.keras.Flatten;

/**
 * The Keras-vocabulary twin of {@link dev.sequent.examples.torch.TorchTextEmbedding}: 20 ids ->
 * Embedding -> Flatten -> Dense(relu) -> Dense. It loads that model's PyTorch state_dict
 * (fixtures/sequence/torch_embedding.pt): the embedding table is the same array in both frameworks,
 * and the Dense kernels are the Linear weights transposed.
 */
@Sequential(input = {20})
public interface KerasTextEmbedding {
  @Embedding(inputDim = 100, outputDim = 16) Layer emb();
  @Flatten                                   Layer flat();
  @Dense(units = 128, activation = "relu")   Layer hidden();
  @Dense(units = 4)                          Layer logits();
}
