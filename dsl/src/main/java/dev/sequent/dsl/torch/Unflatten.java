package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Unflatten(dim, unflattened_size)}: axis {@code dim} (batch axis 0, negative from
 * the end) split into {@code sizes}, values in the same row-major order; one size may be -1.
 *
 * <p>Example: {@code @Unflatten(dim = 1, sizes = {16, 7, 7}) Layer image();}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Unflatten {
  /** The axis to split, batch axis counted. */
  int dim();

  /** What it becomes (unflattened_size). */
  int[] sizes();
}
