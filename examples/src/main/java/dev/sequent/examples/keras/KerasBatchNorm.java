package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.BatchNormalization;
import dev.sequent.dsl.keras.Conv2D;

/** BatchNormalization (Keras defaults: epsilon 1e-3, momentum 0.99) on 28x28x1, then Conv2D 32 3x3 relu. */
@Sequential(input = {28, 28, 1})
public interface KerasBatchNorm {
  @BatchNormalization                                        Layer bn();
  @Conv2D(filters = 32, kernelSize = 3, activation = "relu") Layer conv();
}
