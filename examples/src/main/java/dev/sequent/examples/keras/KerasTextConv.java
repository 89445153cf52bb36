package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.AveragePooling1D;
import dev.sequent.dsl.keras.Conv1D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Embedding;
import dev.sequent.dsl.keras.GlobalAveragePooling1D;
import dev.sequent.dsl.keras.MaxPooling1D;

/**
 * fixtures/sequence's {@code keras_embedding_conv1d}, a small convolutional text classifier: 64 ids
 * -> Embedding -> a causal dilated Conv1D -> a strided "same" Conv1D -> max and "same" average
 * pooling -> the mean over the steps -> Dense. Its PyTorch counterpart would need a transpose
 * between nn.Embedding (steps, dim) and nn.Conv1d (channels, length), which the DSL does not have
 * yet, and causal padding, which nn.Conv1d lacks.
 */
@Sequential(input = {64})
public interface KerasTextConv {
  @Embedding(inputDim = 100, outputDim = 16) @Name("embedding")                                 Layer emb();
  @Conv1D(filters = 32, kernelSize = 5, padding = "causal", dilationRate = 2, activation = "relu")
  @Name("conv1d")                                                                               Layer causal();
  @Conv1D(filters = 16, kernelSize = 4, strides = 2, padding = "same") @Name("conv1d_1")        Layer down();
  @MaxPooling1D(poolSize = 2) @Name("max_pooling1d")                                            Layer max();
  @AveragePooling1D(poolSize = 3, strides = 2, padding = "same") @Name("average_pooling1d")     Layer avg();
  @GlobalAveragePooling1D @Name("global_average_pooling1d")                                     Layer mean();
  @Dense(units = 4) @Name("dense")                                                              Layer logits();
}
