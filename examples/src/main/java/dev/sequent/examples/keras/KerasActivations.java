package dev.sequent.examples.keras;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Sequential;
import dev.sequent.dsl.keras.Dense;
import dev.sequent.dsl.keras.Dropout;

/** Every Keras activation string Sequent supports, one Dense layer each (fixture "activations"). */
@Sequential(input = {12})
public interface KerasActivations {
  @Dense(units = 12, activation = "sigmoid")    Layer d_sigmoid();
  @Dense(units = 12, activation = "elu")        Layer d_elu();
  @Dense(units = 12, activation = "selu")       Layer d_selu();
  @Dense(units = 12, activation = "gelu")       Layer d_gelu();
  @Dense(units = 12, activation = "silu")       Layer d_silu();
  @Dense(units = 12, activation = "softplus")   Layer d_softplus();
  @Dense(units = 12, activation = "leaky_relu") Layer d_leaky_relu();
  @Dense(units = 12, activation = "tanh")       Layer d_tanh();
  @Dense(units = 12, activation = "relu")       Layer d_relu();
  @Dropout(rate = 0.25)                         Layer drop();
  @Dense(units = 4, activation = "softmax")     Layer head();
}
