package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.LayerNorm;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.ReLU;

/** The PyTorch twin of {@link dev.sequent.examples.keras.KerasLayerNorm}. */
@Sequential(input = {5, 8})
public interface TorchLayerNorm {
  @Linear(in = 8, out = 16)                      Layer proj();
  @LayerNorm(16)                                 Layer ln1();
  @ReLU                                          Layer act();
  @LayerNorm(value = {5, 16}, bias = false)      Layer ln2();
  @Flatten                                       Layer flat();
  @Linear(in = 80, out = 3)                      Layer head();
}
