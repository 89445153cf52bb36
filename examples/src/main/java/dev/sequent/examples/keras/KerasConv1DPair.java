package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Conv1D;
import dev.sequent.dsl.keras.MaxPooling1D;
import dev.sequent.dsl.keras.ReLU;

/**
 * The Keras-vocabulary twin of {@link dev.sequent.examples.torch.TorchConv1dPair}, on
 * channels-last sequences (40 steps, 6 channels): it loads that model's PyTorch weights, the Conv1d
 * weights (out, in, k) becoming Conv1D kernels (k, in, out).
 */
@Sequential(input = {40, 6})
public interface KerasConv1DPair {
  @Conv1D(filters = 8, kernelSize = 3, strides = 2)                      Layer conv1();
  @ReLU                                                                   Layer act();
  @MaxPooling1D(poolSize = 2)                                             Layer pool();
  @Conv1D(filters = 4, kernelSize = 3, padding = "same", dilationRate = 2) Layer conv2();
}
