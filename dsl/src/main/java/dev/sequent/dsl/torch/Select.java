package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x.select(dim, index)}, i.e. {@code x[:, index]}, in a PyTorch {@code forward}: one position
 * of {@code dim}, the axis dropped (also one piece of {@code x.unbind(dim)}). Negative indexes count
 * from the end. Code, not a module: no parameters.
 *
 * <pre>{@code @Select(dim = 1, index = -1) Layer last();   // [5, 12] -> [12]}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Select {
  /** The axis, batch axis counted (1 is the first sample axis; negative from the end). */
  int dim();

  int index();
}
