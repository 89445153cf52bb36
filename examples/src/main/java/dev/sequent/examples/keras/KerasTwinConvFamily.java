package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Activation;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.DepthwiseConv2D;
import dev.sequent.dsl.keras.PReLU;
import dev.sequent.dsl.keras.ReLU;

/**
 * The Keras twin of {@link dev.sequent.examples.torch.TorchConvFamily}, channels-last: PyTorch's
 * {@code Conv2d(groups=in)} is a DepthwiseConv2D (its weight {@code (in*mult, 1, kh, kw)} the
 * depthwise kernel {@code (kh, kw, in, mult)}), {@code PReLU(64)} a PReLU sharing its slopes over
 * height and width, {@code padding = d(k-1)/2} "same". It loads the PyTorch file's weights.
 */
@Sequential(input = {16, 16, 4})
public interface KerasTwinConvFamily {
  @Conv2D(filters = 16, kernelSize = 3, padding = "same")                           Layer conv();
  @BatchNormalization(epsilon = 1e-5)                                               Layer bn();
  @ReLU                                                                             Layer relu();
  @Conv2D(filters = 32, kernelSize = 3, padding = "same", groups = 4)               Layer grouped();
  @DepthwiseConv2D(kernelSize = 3, padding = "same")                                Layer depthwise();
  @DepthwiseConv2D(kernelSize = 3, padding = "same", depthMultiplier = 2, dilationRate = 2, useBias = false)
                                                                                    Layer depthwise2();
  @PReLU(sharedAxes = {1, 2})                                                       Layer prelu();
  @Conv2D(filters = 16, kernelSize = 1)                                             Layer pointwise();
  @Activation("mish")                                                               Layer mish();
  @Conv2D(filters = 8, kernelSize = 3, strides = 2, groups = 8)                     Layer strided();
}
