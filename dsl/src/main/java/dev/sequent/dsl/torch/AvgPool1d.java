package dev.sequent.dsl.torch;

import dev.sequent.model.layers.Pool2DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False,
 * count_include_pad=True)} over the length of a channels-first sequence {@code (C, L)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AvgPool1d {
  /** kernel_size. */
  int value();

  /** 0 means the kernel size. */
  int stride() default 0;

  int padding() default 0;

  boolean ceilMode() default false;

  boolean countIncludePad() default Pool2DKind.TORCH_COUNT_INCLUDE_PAD;
}
