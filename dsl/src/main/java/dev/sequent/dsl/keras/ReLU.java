package dev.sequent.dsl.keras;

import dev.sequent.model.layers.ActivationKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code ReLU(max_value=None, negative_slope=0.0, threshold=0.0)} layer: {@code max_value} for
 * {@code x >= max_value}, {@code x} for {@code threshold < x < max_value}, {@code negative_slope * (x -
 * threshold)} below. {@code maxValue} infinite (the default) is Keras' {@code None}; none may be negative.
 * {@code @ReLU(maxValue = 6)} is MobileNet's ReLU6.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ReLU {
  double maxValue() default ActivationKind.KERAS_RELU_MAX_VALUE;

  double negativeSlope() default ActivationKind.KERAS_RELU_NEGATIVE_SLOPE;

  double threshold() default ActivationKind.KERAS_RELU_THRESHOLD;
}
