package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code MaxPooling2D(pool_size=2, strides=None, padding="valid")}: max pooling on channels-last
 * images. Strides default to the pool size.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MaxPooling2D {
  int[] poolSize() default {2};

  /** Empty means the pool size. */
  int[] strides() default {};

  String padding() default "valid";
}
