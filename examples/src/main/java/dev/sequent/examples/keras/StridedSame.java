package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Flatten;
import dev.sequent.dsl.keras.MaxPooling2D;

/**
 * Keras "same" padding with stride 2 on an even input pads one more row and column after the data
 * than before; this model checks Sequent reproduces that asymmetry.
 */
@Sequential(input = {8, 8, 2})
public interface StridedSame {
  @Conv2D(filters = 4, kernelSize = 3, strides = 2, padding = "same", activation = "relu") Layer conv();
  @MaxPooling2D(poolSize = 3, strides = 2, padding = "same")                              Layer pool();
  @Flatten                                                                                 Layer flat();
  @Dense(units = 5)                                                                        Layer head();
}
