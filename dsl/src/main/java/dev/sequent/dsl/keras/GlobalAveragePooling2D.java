package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code GlobalAveragePooling2D()}: the mean over height and width; output {@code (C)}, or {@code (1, 1, C)} with keepdims.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface GlobalAveragePooling2D {
  /** Keep height and width as 1: output {@code (1, 1, C)}. */
  boolean keepdims() default dev.sequent.model.layers.GlobalPool1DKind.KEEPDIMS;
}
