package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.MaxPool2d(kernel_size, stride=None, padding=0, ceil_mode=False)}; the stride
 * defaults to the kernel size.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MaxPool2d {
  /** kernel_size. */
  int[] value();

  /** Empty means the kernel size. */
  int[] stride() default {};

  int[] padding() default {0};

  boolean ceilMode() default false;
}
