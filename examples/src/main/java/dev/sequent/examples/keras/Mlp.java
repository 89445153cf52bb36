package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Name;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;

/** The classic Keras MNIST MLP: {@code Dense(128, activation="relu")} then {@code Dense(10, activation="softmax")}. */
@Sequential(input = {784})
public interface Mlp {
  @Dense(units = 128, activation = "relu")                 Layer dense();
  @Dense(units = 10, activation = "softmax") @Name("dense_1") Layer dense1();
}
