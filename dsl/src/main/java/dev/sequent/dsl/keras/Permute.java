package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Permute(dims)}: the sample axes reordered, 1-based (the batch axis 0 stays first);
 * output axis {@code i} is input axis {@code dims[i]}.
 *
 * <p>Example: {@code @Permute(dims = {2, 1}) Layer transposed();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Permute {
  /** A permutation of 1..rank. */
  int[] dims();
}
