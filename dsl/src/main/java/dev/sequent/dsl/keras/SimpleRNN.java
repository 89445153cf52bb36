package dev.sequent.dsl.keras;

import dev.sequent.model.layers.RecurrentKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code SimpleRNN(units, activation="tanh", use_bias=True, return_sequences=False,
 * go_backwards=False)}. Input {@code (time, features)}; output {@code (time, units)} with
 * {@code returnSequences}, else {@code (units)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SimpleRNN {
  int units();

  /** A Keras activation name (tanh, relu, sigmoid, ...). */
  String activation() default RecurrentKind.DEFAULT_ACTIVATION;

  boolean useBias() default true;

  /** The whole output sequence rather than the final state. */
  boolean returnSequences() default false;

  /** Runs the sequence from its last step; with {@code returnSequences} the outputs are in that order, as Keras gives them. */
  boolean goBackwards() default false;

  /**
   * In a {@code @Module}: the layers whose outputs are the initial states ({@code h}, {@code (hidden)} each;
   * PyTorch's {@code (1, batch, hidden)} without the batch), as {@code layer(x, initial_state=[h])}; empty: zeros.
   */
  String[] initialState() default {};
}
