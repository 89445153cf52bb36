package dev.sequent.dsl.keras;

import dev.sequent.model.layers.BatchNormKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True)}.
 * Weights gamma, beta (trainable), moving_mean, moving_variance (non-trainable).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface BatchNormalization {
  int axis() default -1;

  double momentum() default BatchNormKind.KERAS_MOMENTUM;

  double epsilon() default BatchNormKind.KERAS_EPSILON;

  boolean center() default true;

  boolean scale() default true;
}
