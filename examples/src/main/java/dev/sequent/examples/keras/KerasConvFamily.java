package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.DepthwiseConv2D;
import dev.sequent.dsl.keras.PReLU;
import dev.sequent.dsl.keras.ReLU;
import dev.sequent.dsl.keras.SeparableConv2D;

/**
 * fixtures/conv_family's {@code keras_conv_family}: Conv2D with groups, DepthwiseConv2D (strided,
 * multiplier 2, fused relu6), SeparableConv2D (dilated, multiplier 2, fused mish; strided "valid")
 * and PReLU over height and width.
 */
@Sequential(input = {16, 16, 4})
public interface KerasConvFamily {
  @Conv2D(filters = 16, kernelSize = 3, padding = "same") @Name("conv2d")                  Layer conv();
  @BatchNormalization @Name("batch_normalization")                                          Layer bn();
  @ReLU @Name("re_lu")                                                                       Layer relu();
  @Conv2D(filters = 32, kernelSize = 3, padding = "same", groups = 4) @Name("conv2d_1")    Layer grouped();
  @DepthwiseConv2D(kernelSize = 3, padding = "same") @Name("depthwise_conv2d")              Layer depthwise();
  @DepthwiseConv2D(kernelSize = 3, strides = 2, padding = "same", depthMultiplier = 2, activation = "relu6")
  @Name("depthwise_conv2d_1")                                                                Layer depthwise2();
  @SeparableConv2D(filters = 16, kernelSize = 3, padding = "same", depthMultiplier = 2, dilationRate = 2,
      activation = "mish") @Name("separable_conv2d")                                        Layer separable();
  @PReLU(sharedAxes = {1, 2}) @Name("p_re_lu")                                               Layer prelu();
  @SeparableConv2D(filters = 8, kernelSize = 3, strides = 2) @Name("separable_conv2d_1")   Layer separable2();
}
