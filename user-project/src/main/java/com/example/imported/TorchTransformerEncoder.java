package com.example.imported;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.torch.Dropout;
import dev.sequent.dsl.torch.LayerNorm;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.MultiheadAttention;
import dev.sequent.dsl.torch.ReLU;

/**
 * transformer_encoder, written by {@code ./sequent import} from transformer_encoder.pt2.
 * Each layer has the file's name, so {@code TorchTransformerEncoderNet.create().loadWeights(file)} pairs every tensor by name.
 */
@Module(input = {5, 16}, name = "transformer_encoder")
public interface TorchTransformerEncoder {
  @MultiheadAttention(embedDim = 16, numHeads = 2, batchFirst = true)
  @Name("layers.0.self_attn") Layer layers_0_self_attn();
  @Dropout(p = 0) Layer dropout();
  @Add(from = {"input", "dropout"}) Layer add();
  @LayerNorm(16) @Name("layers.0.norm1") Layer layers_0_norm1();
  @Linear(in = 16, out = 32) @Name("layers.0.linear1") Layer layers_0_linear1();
  @ReLU Layer relu();
  @Dropout(p = 0) Layer dropout_1();
  @Linear(in = 32, out = 16) @Name("layers.0.linear2") Layer layers_0_linear2();
  @Dropout(p = 0) Layer dropout_2();
  @Add(from = {"layers.0.norm1", "dropout_2"}) Layer add_1();
  @LayerNorm(16) @Name("layers.0.norm2") Layer layers_0_norm2();
  @MultiheadAttention(embedDim = 16, numHeads = 2, batchFirst = true)
  @Name("layers.1.self_attn") Layer layers_1_self_attn();
  @Dropout(p = 0) Layer dropout_3();
  @Add(from = {"layers.0.norm2", "dropout_3"}) Layer add_2();
  @LayerNorm(16) @Name("layers.1.norm1") Layer layers_1_norm1();
  @Linear(in = 16, out = 32) @Name("layers.1.linear1") Layer layers_1_linear1();
  @ReLU Layer relu_1();
  @Dropout(p = 0) Layer dropout_4();
  @Linear(in = 32, out = 16) @Name("layers.1.linear2") Layer layers_1_linear2();
  @Dropout(p = 0) Layer dropout_5();
  @Add(from = {"layers.1.norm1", "dropout_5"}) Layer add_3();
  @LayerNorm(16) @Name("layers.1.norm2") Layer layers_1_norm2();
}
