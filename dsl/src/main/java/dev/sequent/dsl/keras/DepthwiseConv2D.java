package dev.sequent.dsl.keras;

import dev.sequent.model.layers.DepthwiseConv2DKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code DepthwiseConv2D(kernel_size, strides=1, padding="valid", depth_multiplier=1,
 * dilation_rate=1, activation=None, use_bias=True)} on channels-last images {@code (H, W, C)}:
 * each channel convolved with its own {@code depthMultiplier} filters, output {@code C * depthMultiplier}
 * channels ({@code c * depthMultiplier + m}). Kernel {@code depthwise_kernel (kh, kw, C, depthMultiplier)};
 * PyTorch's twin is {@code nn.Conv2d(C, C * depthMultiplier, k, groups=C)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DepthwiseConv2D {
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
