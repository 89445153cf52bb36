package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Hardshrink(lambd=0.5)}: {@code x} where {@code |x| > lambd}, else 0; at 0.5
 * Keras 3 {@code Activation("hard_shrink")}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Hardshrink {
  double lambd() default dev.sequent.model.Activation.SHRINK_THRESHOLD;
}
