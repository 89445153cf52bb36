package dev.sequent.dsl.keras;

import dev.sequent.model.layers.DepthwiseConv2DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code SeparableConv2D(filters, kernel_size, strides=1, padding="valid", depth_multiplier=1,
 * dilation_rate=1, activation=None, use_bias=True)} on channels-last images: a depthwise convolution
 * ({@code depthwise_kernel (kh, kw, C, depthMultiplier)}) then a 1x1 convolution to {@code filters}
 * channels ({@code pointwise_kernel (1, 1, C*depthMultiplier, filters)}), then {@code bias (filters)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface SeparableConv2D {
  int filters();

  /** {@code {3}} or {@code {3, 3}}. */
  int[] kernelSize();

  int[] strides() default {1};

  /** {@code "valid"} or {@code "same"}. */
  String padding() default "valid";

  int depthMultiplier() default DepthwiseConv2DKind.DEFAULT_DEPTH_MULTIPLIER;

  int[] dilationRate() default {1};

  String activation() default "linear";

  boolean useBias() default true;
}
