package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Embedding;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;

/**
 * fixtures/sequence's {@code torch_embedding}: 20 ids -> nn.Embedding(100, 16, padding_idx=0) ->
 * Flatten -> Linear -> ReLU -> Linear. The padding row only starts at zero; the file's weights
 * decide what it looks up.
 */
@Sequential(input = {20})
public interface TorchTextEmbedding {
  @Embedding(numEmbeddings = 100, embeddingDim = 16, paddingIdx = 0) Layer emb();
  @Flatten                                                           Layer flat();
  @Linear(out = 128)                                                 Layer hidden();
  @ReLU                                                              Layer act();
  @Linear(out = 4)                                                   Layer logits();
}
