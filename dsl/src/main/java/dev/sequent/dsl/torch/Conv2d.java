package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * dilation=1, bias=True)} on channels-first images {@code (C, H, W)}. One value in an array means
 * the same for height and width. Weight {@code (out, in, kh, kw)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv2d {
  /** out_channels; required (a missing or zero value is a compile-time error), or set inside a block by {@code @Bind("out = ...")}. */
  int out() default 0;

  /** {@code {5}} or {@code {5, 5}}. */
  int[] kernel();

  /** in_channels; 0 to infer it. */
  int in() default 0;

  int[] stride() default {1};

  /** Zero padding on both sides: {@code {2}} or {@code {2, 1}}. */
  int[] padding() default {0};

  /** PyTorch's string padding, {@code "same"} or {@code "valid"}; overrides {@link #padding} when set. */
  String paddingMode() default "";

  int[] dilation() default {1};

  boolean bias() default true;

  /**
   * Channel groups: input and output channels are split into this many groups, each output group
   * convolving only its input group; it must divide both channel counts.
   */
  int groups() default dev.sequent.model.layers.Conv2DKind.DEFAULT_GROUPS;
}
