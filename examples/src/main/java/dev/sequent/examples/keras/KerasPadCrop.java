package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Cropping2D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Flatten;
import dev.sequent.dsl.keras.ZeroPadding2D;

/**
 * Zero padding in Keras' three forms and cropping in the same three, on channels-last 16x16x3
 * images: the model {@code fixtures/make_padding_fixtures.py} saves as
 * {@code fixtures/padding/keras_pad_crop.keras}, whose weights it loads by name.
 */
@Sequential(input = {16, 16, 3})
public interface KerasPadCrop {
  @Conv2D(filters = 4, kernelSize = 3)                               Layer conv2d();       // 14x14x4
  @ZeroPadding2D @Name("zero_padding2d")                             Layer pad();          // 16x16x4
  @ZeroPadding2D(padding = {2, 1}) @Name("zero_padding2d_1")         Layer padHw();        // 20x18x4
  @ZeroPadding2D(padding = {1, 2, 0, 3}) @Name("zero_padding2d_2")   Layer padSides();     // 23x21x4
  @Cropping2D(cropping = {1, 0, 2, 1}) @Name("cropping2d")           Layer cropSides();    // 22x18x4
  @Cropping2D(cropping = 1) @Name("cropping2d_1")                    Layer crop();         // 20x16x4
  @Cropping2D(cropping = {0, 2}) @Name("cropping2d_2")               Layer cropHw();       // 20x12x4
  @Conv2D(filters = 4, kernelSize = 3, activation = "relu") @Name("conv2d_1") Layer conv2(); // 18x10x4
  @Flatten                                                           Layer flatten();
  @Dense(units = 5)                                                  Layer dense();
}
