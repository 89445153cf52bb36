package dev.sequent.dsl.torch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Softshrink(lambd=0.5)}: {@code x - lambd} above {@code lambd}, {@code x + lambd}
 * below {@code -lambd}, else 0; at 0.5 Keras 3 {@code Activation("soft_shrink")}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Softshrink {
  double lambd() default dev.sequent.model.Activation.SHRINK_THRESHOLD;
}
