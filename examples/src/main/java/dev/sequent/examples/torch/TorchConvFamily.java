package dev.sequent.examples.torch;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.torch.BatchNorm2d;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.Mish;
import dev.sequent.dsl.torch.PReLU;
import dev.sequent.dsl.torch.ReLU;

/**
 * fixtures/conv_family's {@code torch_conv_family}: a grouped convolution, two depthwise ones
 * ({@code groups = in}, multiplier 1 and, dilated, 2), PReLU with a slope per channel, Mish and a
 * strided grouped convolution. Every layer has a Keras twin ({@link dev.sequent.examples.keras.KerasTwinConvFamily}).
 */
@Sequential(input = {4, 16, 16})
public interface TorchConvFamily {
  @Conv2d(out = 16, kernel = 3, padding = 1)                                   Layer conv();
  @BatchNorm2d                                                                 Layer bn();
  @ReLU                                                                        Layer relu();
  @Conv2d(out = 32, kernel = 3, padding = 1, groups = 4)                       Layer grouped();
  @Conv2d(out = 32, kernel = 3, padding = 1, groups = 32)                      Layer depthwise();
  @Conv2d(out = 64, kernel = 3, padding = 2, dilation = 2, groups = 32, bias = false) Layer depthwise2();
  @PReLU(numParameters = 64)                                                   Layer prelu();
  @Conv2d(out = 16, kernel = 1)                                                Layer pointwise();
  @Mish                                                                        Layer mish();
  @Conv2d(out = 8, kernel = 3, stride = 2, groups = 8)                         Layer strided();
}
