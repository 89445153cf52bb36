package dev.sequent.dsl.keras;

import dev.sequent.model.layers.RecurrentKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Bidirectional(LSTM(units, ...), merge_mode="concat")}: the wrapped recurrent layer run
 * forwards and backwards over the sequence, the two outputs merged ({@code concat}, {@code sum},
 * {@code mul}, {@code ave}; {@code None}, which returns two tensors, is not supported). A Java
 * annotation cannot hold another layer's annotation of any type, so the wrapped layer is named by
 * its Keras class and its arguments are given here:
 * {@code @Bidirectional(layer = "LSTM", units = 8, returnSequences = true)}. Output
 * {@code (time, 2*units)} with {@code returnSequences} and {@code concat}, {@code (2*units)} without.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Bidirectional {
  /** The wrapped layer's Keras class: {@code "LSTM"}, {@code "GRU"} or {@code "SimpleRNN"}. */
  String layer();

  int units();

  String mergeMode() default "concat";

  String activation() default RecurrentKind.DEFAULT_ACTIVATION;

  /** The gates' activation of a wrapped LSTM or GRU. */
  String recurrentActivation() default RecurrentKind.DEFAULT_RECURRENT_ACTIVATION;

  boolean useBias() default true;

  boolean returnSequences() default false;

  /** A wrapped GRU's {@code reset_after}. */
  boolean resetAfter() default true;
}
