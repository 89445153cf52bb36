package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * dilation=1, bias=True)} on channels-first sequences {@code (C, L)}. Weight {@code (out, in, k)}.
 *
 * <pre>{@code
 * @Conv1d(out = 8, kernel = 3, padding = 1) Layer conv(); // [4, 20] -> [8, 20]
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv1d {
  int out();

  int kernel();

  /** in_channels; 0 to infer it. */
  int in() default 0;

  int stride() default 1;

  /** Zero padding on both sides. */
  int padding() default 0;

  /** PyTorch's string padding, {@code "same"} or {@code "valid"}; overrides {@link #padding} when set. */
  String paddingMode() default "";

  int dilation() default 1;

  boolean bias() default true;
}
