package dev.sequent.examples.keras;

import dev.sequent.dsl.Add;
import dev.sequent.dsl.From;
import dev.sequent.dsl.Input;
import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.keras.Dense;

/**
 * A Keras-style graph with two inputs and two outputs, declared in Java: the inputs are
 * {@code @Input} methods, the outputs listed in {@code @Module(outputs = ...)}. Its first output is
 * the model {@code fixtures/make_graph_fixtures.py} saves as {@code fixtures/graphs/two_inputs.keras}
 * (same layer names, so that file's weights load by name); {@code side} is a second head on the
 * same sum.
 */
@Module(outputs = {"head", "side"})
public interface TwoOutputHeads {
  @Input({6})                                       Layer a();
  @Input({4})                                       Layer b();
  @Dense(units = 5, activation = "relu") @From("a") Layer from_a();
  @Dense(units = 5) @From("b")                      Layer from_b();
  @Add(from = {"from_a", "from_b"})                 Layer join();
  @Dense(units = 3)                                 Layer head();
  @Dense(units = 2) @From("join")                   Layer side();
}
