package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Conv2D(filters, kernel_size, strides=1, padding="valid", dilation_rate=1,
 * activation=None, use_bias=True)} on channels-last images {@code (H, W, C)}. One value in an
 * array means the same for height and width. Kernel {@code (kh, kw, in, filters)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv2D {
  /** Required (a missing or zero value is a compile-time error), or set inside a block by {@code @Bind("filters = ...")}. */
  int filters() default 0;

  /** {@code {3}} or {@code {3, 3}}. */
  int[] kernelSize();

  int[] strides() default {1};

  /** {@code "valid"} or {@code "same"}. */
  String padding() default "valid";

  int[] dilationRate() default {1};

  String activation() default "linear";

  boolean useBias() default true;

  /**
   * Channel groups: input and output channels are split into this many groups, each output group
   * convolving only its input group; it must divide both channel counts.
   */
  int groups() default dev.sequent.model.layers.Conv2DKind.DEFAULT_GROUPS;
}
