package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Reshape(target_shape)}: the same values in the same row-major order under a new
 * sample shape (batch axis kept). One dimension may be {@code -1}, which the element count decides.
 *
 * <p>Example: {@code @Reshape(targetShape = {1, 1, 32}) Layer se();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Reshape {
  /** The sample shape, at most one -1. */
  int[] targetShape();
}
