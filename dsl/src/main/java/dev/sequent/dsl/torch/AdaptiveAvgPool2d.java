package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.AdaptiveAvgPool2d(output_size)} with output size 1: the mean of each channel,
 * output {@code [C, 1, 1]} (torchvision's ResNet and MobileNet heads). Other output sizes are a
 * compile-time error.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AdaptiveAvgPool2d {
  /** output_size: {@code 1} or {@code {1, 1}}. */
  int[] value() default {1};
}
