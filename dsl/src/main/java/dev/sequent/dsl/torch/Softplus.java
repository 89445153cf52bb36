package dev.sequent.dsl.torch;

import dev.sequent.model.layers.ActivationKind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * PyTorch {@code nn.Softplus(beta=1.0, threshold=20.0)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Softplus {
  double beta() default ActivationKind.TORCH_SOFTPLUS_BETA;

  double threshold() default ActivationKind.TORCH_SOFTPLUS_THRESHOLD;
}
