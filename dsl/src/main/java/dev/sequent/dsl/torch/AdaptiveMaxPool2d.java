package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.AdaptiveMaxPool2d(output_size)} with output size 1: the maximum of each channel,
 * output {@code [C, 1, 1]}. Other output sizes are a
 * compile-time error.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AdaptiveMaxPool2d {
  /** output_size: {@code 1} or {@code {1, 1}}. */
  int[] value() default {1};
}
