package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.ConvTranspose2d(in, out, kernel_size, stride, padding, output_padding, dilation,
 * bias)} on channels-first images: output {@code (in - 1) * stride - 2 * padding + dilation *
 * (kernel - 1) + output_padding + 1} per axis.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ConvTranspose2d {
  int out();

  /** {@code {4}} or {@code {4, 4}}. */
  int[] kernel();

  /** in_channels; 0 to infer it. */
  int in() default 0;

  int[] stride() default {1};

  /** Cropped from both ends of the transposed output: {@code {1}} or {@code {1, 0}}. */
  int[] padding() default {0};

  /** Added at the end of the output, below the stride or the dilation: {@code {1}} or {@code {1, 0}}. */
  int[] outputPadding() default {0};

  int[] dilation() default {1};

  boolean bias() default true;
}
