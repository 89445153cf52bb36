package dev.sequent.dsl.keras;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code Dense(units, activation=None, use_bias=True)}: a fully connected layer on the last
 * axis. Input {@code (..., in)}, output {@code (..., units)}; kernel {@code (in, units)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dense {
  int units();

  /** A Keras activation name: relu, tanh, sigmoid, softmax, leaky_relu, elu, selu, gelu, silu/swish, softplus, linear. */
  String activation() default "linear";

  boolean useBias() default true;
}
