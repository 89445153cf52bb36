package dev.sequent.dsl.torch;

import dev.sequent.model.layers.SliceKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x[:, start:end:step]} along {@code dim} in a PyTorch {@code forward} (also {@code
 * x.narrow(dim, start, length)}, and one piece of {@code x.chunk(n, dim)} or {@code x.split(size,
 * dim)}). Python's slice rules: negative start/end count from the end, both clamped to the axis.
 * Code, not a module: no parameters.
 *
 * <pre>{@code @Slice(dim = -1, start = 0, end = 8) Layer q();   // [5, 24] -> [5, 8]}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Slice {
  /** The axis, batch axis counted (1 is the first sample axis; negative from the end). */
  int dim();

  int start() default SliceKind.START;

  /** The position after the last; the default takes the axis to its end. */
  int end() default SliceKind.END;

  int step() default SliceKind.STEP;
}
