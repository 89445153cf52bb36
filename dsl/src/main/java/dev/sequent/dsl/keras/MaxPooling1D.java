package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code MaxPooling1D(pool_size=2, strides=None, padding="valid")}: max pooling over the steps of a
 * channels-last sequence {@code (steps, channels)}. Strides default to the pool size.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MaxPooling1D {
  int poolSize() default 2;

  /** 0 means the pool size. */
  int strides() default 0;

  String padding() default "valid";
}
