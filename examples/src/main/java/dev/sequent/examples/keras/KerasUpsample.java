package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.UpSampling2D;

/** fixtures/upsampling's {@code keras_nearest_bilinear}: UpSampling2D nearest by 2, then bilinear by (2, 3). */
@Sequential(input = {8, 8, 3})
public interface KerasUpsample {
  @Conv2D(filters = 8, kernelSize = 3, padding = "same") @Name("conv2d")                Layer conv1();
  @UpSampling2D(size = 2) @Name("up_sampling2d")                                          Layer up1();
  @Conv2D(filters = 8, kernelSize = 3, padding = "same") @Name("conv2d_1")              Layer conv2();
  @UpSampling2D(size = {2, 3}, interpolation = "bilinear") @Name("up_sampling2d_1")       Layer up2();
  @Conv2D(filters = 4, kernelSize = 3, strides = 2, padding = "same") @Name("conv2d_2")  Layer conv3();
}
