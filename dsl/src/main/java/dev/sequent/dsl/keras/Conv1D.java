package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Conv1D(filters, kernel_size, strides=1, padding="valid", dilation_rate=1,
 * activation=None, use_bias=True)} on channels-last sequences {@code (steps, channels)}. Padding
 * {@code "valid"}, {@code "same"} or {@code "causal"} (d(k-1) zeros before the data only). Kernel
 * {@code (k, in, filters)}.
 *
 * <pre>{@code
 * @Conv1D(filters = 8, kernelSize = 3, padding = "causal", dilationRate = 2) Layer conv(); // [20, 4] -> [20, 8]
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv1D {
  int filters();

  int kernelSize();

  int strides() default 1;

  /** {@code "valid"}, {@code "same"} or {@code "causal"}. */
  String padding() default "valid";

  int dilationRate() default 1;

  String activation() default "linear";

  boolean useBias() default true;
}
