package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Flatten;
import dev.sequent.dsl.keras.LayerNormalization;
import dev.sequent.dsl.keras.ReLU;

/**
 * Layer normalisation on a sequence of 5 steps of 8 features: over the features (epsilon 1e-5, as
 * PyTorch's default, so that the PyTorch twin computes the same), then over both axes without beta.
 */
@Sequential(input = {5, 8})
public interface KerasLayerNorm {
  @Dense(units = 16)                                                    Layer proj();
  @LayerNormalization(epsilon = 1e-5)                                   Layer ln1();
  @ReLU                                                                 Layer act();
  @LayerNormalization(axis = {1, 2}, epsilon = 1e-5, center = false)    Layer ln2();
  @Flatten                                                              Layer flat();
  @Dense(units = 3)                                                     Layer head();
}
