package dev.sequent.dsl.torch;

import dev.sequent.model.layers.Pool2DKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
 * count_include_pad=True)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AvgPool2d {
  /** kernel_size, positionally: {@code @MaxPool2d(2)}. Give this or {@link #kernel}, not both. */
  int[] value() default {};

  /** kernel_size, by PyTorch's word (as {@code @Conv2d(kernel = 3)}): {@code @MaxPool2d(kernel = 3, stride = 2)}. */
  int[] kernel() default {};

  /** Empty means the kernel size. */
  int[] stride() default {};

  int[] padding() default {0};

  boolean ceilMode() default false;

  boolean countIncludePad() default Pool2DKind.TORCH_COUNT_INCLUDE_PAD;
}
