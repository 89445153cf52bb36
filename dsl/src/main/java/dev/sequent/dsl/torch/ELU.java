package dev.sequent.dsl.torch;

import dev.sequent.model.layers.ActivationKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.ELU(alpha=1.0)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ELU {
  double alpha() default ActivationKind.ELU_ALPHA;
}
