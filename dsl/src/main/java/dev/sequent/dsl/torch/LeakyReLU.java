package dev.sequent.dsl.torch;

import dev.sequent.model.layers.ActivationKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.LeakyReLU(negative_slope=0.01)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LeakyReLU {
  double negativeSlope() default ActivationKind.TORCH_LEAKY_SLOPE;
}
