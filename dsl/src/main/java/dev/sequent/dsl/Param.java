package dev.sequent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One tensor of a {@link CustomLayer}: its name (the same in Keras and PyTorch files) and its shape
 * as a rule over the input shape.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.ANNOTATION_TYPE)
public @interface Param {
  String name();

  /** The shape as a rule over the input shape, e.g. {@code "in[-1]"}. */
  String shape();

  boolean trainable() default true;
}
