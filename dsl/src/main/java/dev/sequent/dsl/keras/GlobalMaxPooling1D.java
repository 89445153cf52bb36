package dev.sequent.dsl.keras;

import dev.sequent.model.layers.GlobalPool1DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code GlobalMaxPooling1D(keepdims=False)}: the max over the steps of a channels-last sequence
 * {@code (steps, channels)}; output {@code (channels)}, or {@code (1, channels)} with keepdims.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GlobalMaxPooling1D {
  boolean keepdims() default GlobalPool1DKind.KEEPDIMS;
}
