package dev.sequent.dsl.keras;

import dev.sequent.model.layers.ActivationKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code LeakyReLU(negative_slope=0.3)} layer (Keras 3 default slope).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface LeakyReLU {
  double negativeSlope() default ActivationKind.KERAS_LEAKY_SLOPE;
}
