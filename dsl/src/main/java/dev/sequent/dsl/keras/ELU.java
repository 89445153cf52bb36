package dev.sequent.dsl.keras;

import dev.sequent.model.layers.ActivationKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras {@code ELU(alpha=1.0)} layer.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ELU {
  double alpha() default ActivationKind.ELU_ALPHA;
}
