package dev.sequent.dsl.keras;

import dev.sequent.model.layers.RecurrentKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code GRU(units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
 * return_sequences=False, go_backwards=False, reset_after=True)} (gates z,r,h). Input
 * {@code (time, features)}; output {@code (time, units)} with {@code returnSequences}, else
 * {@code (units)}. {@code resetAfter=false} runs, but has no PyTorch twin.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GRU {
  int units();

  /** A Keras activation name (tanh, relu, sigmoid, ...). */
  String activation() default RecurrentKind.DEFAULT_ACTIVATION;

  /** The gates' activation (Keras' {@code recurrent_activation}): sigmoid, hard_sigmoid, tanh, relu, ... */
  String recurrentActivation() default RecurrentKind.DEFAULT_RECURRENT_ACTIVATION;

  boolean useBias() default true;

  /** The whole output sequence rather than the final state. */
  boolean returnSequences() default false;

  /** Runs the sequence from its last step; with {@code returnSequences} the outputs are in that order, as Keras gives them. */
  boolean goBackwards() default false;

  /** Keras' {@code reset_after}: the reset gate after the recurrent product (PyTorch's GRU), with a (2, 3H) bias. */
  boolean resetAfter() default true;

  /**
   * In a {@code @Module}: the layers whose outputs are the initial states ({@code h}, {@code (hidden)} each;
   * PyTorch's {@code (1, batch, hidden)} without the batch), as {@code layer(x, initial_state=[h])}; empty: zeros.
   */
  String[] initialState() default {};
}
