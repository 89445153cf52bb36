package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Conv2DTranspose(filters, kernel_size, strides, padding, output_padding,
 * dilation_rate, activation, use_bias)}: a transposed (fractionally strided) convolution on
 * channels-last images, as a decoder's upsampling step. "same" makes the output {@code in * strides}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv2DTranspose {
  int filters();

  /** {@code {3}} or {@code {3, 3}}. */
  int[] kernelSize();

  int[] strides() default {1};

  /** {@code "valid"} or {@code "same"}. */
  String padding() default "valid";

  /** Keras' {@code output_padding}: empty for {@code None}, else {@code {1}} or {@code {1, 0}}, each below the stride. */
  int[] outputPadding() default {};

  int[] dilationRate() default {1};

  String activation() default "linear";

  boolean useBias() default true;
}
