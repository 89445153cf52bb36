package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.AvgPool1d;
import dev.sequent.dsl.torch.Conv1d;
import dev.sequent.dsl.torch.Flatten;
import dev.sequent.dsl.torch.Linear;
import dev.sequent.dsl.torch.MaxPool1d;
import dev.sequent.dsl.torch.ReLU;

/**
 * fixtures/sequence's {@code torch_conv1d_pools}: 1-D convolutions (stride, padding, "same" with
 * dilation) and pools with padding, {@code ceil_mode} and {@code count_include_pad} on a (16, 128)
 * signal; lengths 128 -> 64 -> 32 -> 32 -> 17 -> 9 -> 5. No Keras twin: Keras pooling has no
 * ceil_mode and its "same" is not PyTorch's symmetric padding.
 */
@Sequential(input = {16, 128})
public interface TorchConv1dPools {
  @Conv1d(out = 32, kernel = 5, stride = 2, padding = 2)                       Layer conv1();
  @ReLU                                                                         Layer act();
  @MaxPool1d(value = 3, stride = 2, padding = 1)                                Layer pool1();
  @Conv1d(out = 32, kernel = 3, paddingMode = "same", dilation = 2, bias = false) Layer conv2();
  @AvgPool1d(value = 3, stride = 2, padding = 1, ceilMode = true, countIncludePad = false) Layer pool2();
  @AvgPool1d(value = 2, ceilMode = true)                                        Layer pool3();
  @MaxPool1d(value = 2, ceilMode = true)                                        Layer pool4();
  @Flatten                                                                      Layer flat();
  @Linear(out = 3)                                                              Layer head();
}
