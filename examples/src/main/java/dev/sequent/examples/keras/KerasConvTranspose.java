package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Conv2DTranspose;

/**
 * Keras {@code Conv2DTranspose} "same" (whose odd crop falls after the data, which no PyTorch
 * padding does), "valid" with output_padding, and dilated, on channels-last 5x6x3 inputs: the model
 * {@code fixtures/make_conv_transpose_fixtures.py} saves as
 * {@code fixtures/conv_transpose/keras_tconv.keras}, whose weights it loads by name.
 */
@Sequential(input = {5, 6, 3})
public interface KerasConvTranspose {
  @Conv2DTranspose(filters = 4, kernelSize = 3, strides = 2, padding = "same", activation = "relu")
  @Name("conv2d_transpose")                                                                Layer up();      // 10x12x4
  @Conv2DTranspose(filters = 3, kernelSize = {4, 3}, strides = {2, 3}, outputPadding = {1, 2})
  @Name("conv2d_transpose_1")                                                              Layer up2();     // 23x38x3
  @Conv2DTranspose(filters = 2, kernelSize = 2, padding = "same", dilationRate = 2)
  @Name("conv2d_transpose_2")                                                              Layer dilated(); // 23x38x2
  @Conv2D(filters = 2, kernelSize = 3) @Name("conv2d")                                      Layer conv();    // 21x36x2
}
