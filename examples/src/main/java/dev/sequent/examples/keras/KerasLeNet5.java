package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.AveragePooling2D;
import dev.sequent.dsl.keras.Conv2D;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Flatten;

/** LeNet-5 for 28x28 MNIST as Keras users write it: channels-last, "same" padding on the first conv. */
@Sequential(input = {28, 28, 1})
public interface KerasLeNet5 {
  @Conv2D(filters = 6, kernelSize = 5, padding = "same", activation = "tanh") Layer c1();
  @AveragePooling2D(poolSize = 2)                                            Layer s2();
  @Conv2D(filters = 16, kernelSize = 5, activation = "tanh")                 Layer c3();
  @AveragePooling2D(poolSize = 2)                                            Layer s4();
  @Conv2D(filters = 120, kernelSize = 5, activation = "tanh")                Layer c5();
  @Flatten                                                                   Layer flat();
  @Dense(units = 84, activation = "tanh")                                    Layer f6();
  @Dense(units = 10, activation = "softmax")                                 Layer out();
}
