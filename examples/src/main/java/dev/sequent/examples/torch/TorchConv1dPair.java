package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.Conv1d;
import dev.sequent.dsl.torch.MaxPool1d;
import dev.sequent.dsl.torch.ReLU;

/**
 * fixtures/sequence's {@code torch_conv1d_pair} on (6 channels, length 40): every layer has a Keras
 * twin ({@link dev.sequent.examples.keras.KerasConv1DPair}); padding 2 at dilation 2 is "same".
 */
@Sequential(input = {6, 40})
public interface TorchConv1dPair {
  @Conv1d(out = 8, kernel = 3, stride = 2)                Layer conv1();
  @ReLU                                                    Layer act();
  @MaxPool1d(2)                                            Layer pool();
  @Conv1d(out = 4, kernel = 3, padding = 2, dilation = 2)  Layer conv2();
}
